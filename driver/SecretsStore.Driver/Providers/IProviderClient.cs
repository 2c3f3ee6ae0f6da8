using SecretsStore.Provider.V1Alpha1;

namespace SecretsStore.Driver.Providers;

/// <summary>Calls provider plugins. Failures arrive as <see cref="Publishing.SecretsStoreException"/> that say what to fix.</summary>
public interface IProviderClient
{
    Task<MountResponse> MountAsync(string provider, MountRequest request, TimeSpan timeout, CancellationToken cancellationToken);

    Task<VersionResponse> VersionAsync(string provider, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>The names of the providers whose sockets exist now.</summary>
    IReadOnlyList<string> ListProviders();
}
