using SecretsStore.Driver.Diagnostics;
using SecretsStore.Driver.Publishing;

namespace SecretsStore.Driver.Providers;

/// <summary>--provider-health-check: calls Version on every provider socket each interval and logs the answer.</summary>
public sealed class ProviderHealthCheck : BackgroundService
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    private readonly ProviderClientPool _pool;
    private readonly DriverOptions _options;
    private readonly ILogger _logger;

    public ProviderHealthCheck(ProviderClientPool pool, DriverOptions options, ILogger<ProviderHealthCheck> logger)
    {
        _pool = pool;
        _options = options;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ProviderHealthCheckInterval);
        do
        {
            foreach (var provider in _pool.ListProviders())
            {
                var socket = _pool.FindSocket(provider) ?? string.Empty;
                try
                {
                    var version = await _pool.VersionAsync(provider, CallTimeout, stoppingToken).ConfigureAwait(false);
                    DriverLog.ProviderHealthy(_logger, provider, socket, version.RuntimeName, version.RuntimeVersion, version.Version);
                }
                catch (SecretsStoreException e)
                {
                    DriverLog.ProviderUnhealthy(_logger, provider, socket, e.Message);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
