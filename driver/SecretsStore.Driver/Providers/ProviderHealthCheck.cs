using Csi.Common.Hosting;
using SecretsStore.Driver.Diagnostics;
using SecretsStore.Driver.Publishing;

namespace SecretsStore.Driver.Providers;

/// <summary>--provider-health-check: calls Version on every provider socket each interval and logs the answer.</summary>
public sealed class ProviderHealthCheck : BackgroundLoop
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    private readonly ProviderClientPool _pool;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public ProviderHealthCheck(ProviderClientPool pool, TimeSpan interval, ILogger<ProviderHealthCheck> logger, TimeProvider time)
    {
        _pool = pool;
        _interval = interval;
        _logger = logger;
        _time = time;
    }

    /// <summary>One round: every provider socket found now is asked for its Version; returns the providers that answered.</summary>
    public async Task<IReadOnlyList<string>> CheckOnceAsync(CancellationToken cancellationToken)
    {
        var healthy = new List<string>();
        foreach (var provider in _pool.ListProviders())
        {
            var socket = _pool.FindSocket(provider) ?? string.Empty;
            try
            {
                var version = await _pool.VersionAsync(provider, CallTimeout, cancellationToken).ConfigureAwait(false);
                DriverLog.ProviderHealthy(_logger, provider, socket, version.RuntimeName, version.RuntimeVersion, version.Version);
                healthy.Add(provider);
            }
            catch (SecretsStoreException e)
            {
                DriverLog.ProviderUnhealthy(_logger, provider, socket, e.Message);
            }
        }
        return healthy;
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        do
        {
            await CheckOnceAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
