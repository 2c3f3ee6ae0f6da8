namespace Csi.Benchmarks;

/// <summary>Vault provider Mount latency for one object count, with or without its token cache.</summary>
internal sealed record VaultMountFigures(int Objects, bool TokenCache, LatencyStats Mount, double LoginsPerMount, double VaultRequestsPerMount);
