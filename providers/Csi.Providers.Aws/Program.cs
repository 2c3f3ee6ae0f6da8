using Csi.ProviderHost;
using Csi.Providers.Aws;

return await SecretsProviderHost.RunAsync(new AwsProvider(), args).ConfigureAwait(false);
