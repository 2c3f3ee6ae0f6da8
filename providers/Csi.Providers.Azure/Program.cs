using Csi.ProviderHost;
using Csi.Providers.Azure;

return await SecretsProviderHost.RunAsync(new AzureProvider(), args).ConfigureAwait(false);
