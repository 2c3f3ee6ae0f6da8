namespace Csi.Provisioner.Tests.EndToEnd;

/// <summary>
/// Provisioners run in this process against a fixture's sandbox and driver sockets, each until its source is
/// cancelled; disposing stops them all and waits for them.
/// </summary>
internal sealed class InProcessProvisioners : IAsyncDisposable
{
    private readonly List<(CancellationTokenSource Stop, Task<int> Run)> _runs = [];

    /// <summary>The command line the tests run provisioners with (fast retries, no client-side throttling), plus <paramref name="extra"/>.</summary>
    public static string[] Arguments(string socket, string kubeconfig, params string[] extra)
        => ["--csi-address", socket, "--kubeconfig", kubeconfig, "--worker-threads=4", "--retry-interval-start=100ms", "--retry-interval-max=2s",
            "--kube-api-qps=1000", "--kube-api-burst=1000", "--timeout=15s", .. extra];

    /// <summary>Runs a provisioner with <paramref name="arguments"/> reading env variables from <paramref name="environment"/>, until the returned source is cancelled.</summary>
    public CancellationTokenSource Start(string[] arguments, Func<string, string?> environment)
    {
        var stop = new CancellationTokenSource();
        _runs.Add((stop, Task.Run(() => ProvisionerHost.RunAsync(arguments, environment, stop.Token))));
        return stop;
    }

    /// <summary>The run of the provisioner <paramref name="stop"/> stops: its exit code.</summary>
    public Task<int> Run(CancellationTokenSource stop) => _runs.Single(p => p.Stop == stop).Run;

    public async ValueTask DisposeAsync()
    {
        foreach (var (stop, run) in _runs)
        {
            await stop.CancelAsync();
            try
            {
                await run.WaitAsync(TimeSpan.FromSeconds(15));
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException)
            {
            }
            stop.Dispose();
        }
    }
}
