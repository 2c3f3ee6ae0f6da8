using System.Collections.Concurrent;

namespace Csi.Providers.Azure;

/// <summary>
/// Bounds the object fetches in flight to one vault across every mount on the node, so a rotation of many pods at
/// once queues here instead of arriving at Key Vault as a burst that it answers with 429s.
/// </summary>
internal sealed class VaultRequestGate
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _vaults = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _perVault;

    public VaultRequestGate(int perVault)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perVault, 1);
        _perVault = perVault;
    }

    public int PerVault => _perVault;

    /// <summary>Fetches in flight to <paramref name="vault"/> right now (for tests).</summary>
    public int InFlight(Uri vault) => _vaults.TryGetValue(vault.Host, out var gate) ? _perVault - gate.CurrentCount : 0;

    public async Task<T> RunAsync<T>(Uri vault, Func<Task<T>> fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(fetch);
        var gate = _vaults.GetOrAdd(vault.Host, _ => new SemaphoreSlim(_perVault, _perVault));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await fetch().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }
}
