using SecretsStore.Driver.Events;

namespace SecretsStore.Driver.ServiceAccountTokens;

/// <summary>Standalone mode: there is no API to request tokens from, so a rotation re-sends the volume without them.</summary>
public sealed class NoServiceAccountTokenSource : IServiceAccountTokenSource
{
    public Task<string?> GetTokensAsync(PodReference pod, string serviceAccountName, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public void Forget(string podUid)
    {
    }
}
