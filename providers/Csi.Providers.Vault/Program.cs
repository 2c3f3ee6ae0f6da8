using Csi.Providers.Vault;
using Csi.ProviderHost;

return await SecretsProviderHost.RunAsync(new VaultProvider(), args).ConfigureAwait(false);
