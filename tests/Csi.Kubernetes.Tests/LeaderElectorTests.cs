using System.Text.RegularExpressions;
using Csi.Kubernetes.Leader;
using Microsoft.Extensions.Logging.Abstractions;

namespace Csi.Kubernetes.Tests;

/// <summary>Leader election on a Lease in the API sandbox, with short timings and the real clock.</summary>
public sealed partial class LeaderElectorTests
{
    private const string Namespace = "kube-system";

    [Theory]
    [InlineData("local.csi.csi-suite.dev", "local-csi-csi-suite-dev")]
    [InlineData("hostpath.csi.k8s.io", "hostpath-csi-k8s-io")]
    [InlineData("example.com/driver_", "example-com-driver-X")]
    public void LeaseNameFor_SanitisesAsTheSidecarsDo(string driver, string lease)
        => Assert.Equal(lease, LeaderElector.LeaseNameFor(driver));

    [Theory]
    [InlineData(15, 10, 10, "--leader-election-renew-deadline")]
    [InlineData(10, 10, 2, "--leader-election-lease-duration")]
    [InlineData(15, 10, 0, "--leader-election-retry-period")]
    public void Options_OutOfOrder_NameTheFlag(int lease, int renew, int retry, string flag)
    {
        var options = new LeaderElectionOptions("l", Namespace, "a") { LeaseDuration = TimeSpan.FromSeconds(lease), RenewDeadline = TimeSpan.FromSeconds(renew), RetryPeriod = TimeSpan.FromSeconds(retry) };
        Assert.StartsWith(flag, options.Validate(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneLeads_TheOtherWaits_AndTakesOverAtOnceWhenTheLeaderStops()
    {
        await using var api = await SandboxApi.StartAsync();
        var first = NewElector(api, "first");
        var second = NewElector(api, "second");
        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();
        var firstLeading = new TaskCompletionSource();
        var secondLeading = new TaskCompletionSource();

        var firstRun = first.RunAsync(Lead(firstLeading), stopFirst.Token);
        await firstLeading.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var secondRun = second.RunAsync(Lead(secondLeading), stopSecond.Token);
        await Task.Delay(1500);
        Assert.True(first.IsLeader);
        Assert.False(second.IsLeader);
        Assert.False(secondLeading.Task.IsCompleted);
        Assert.Equal("first", Holder(api));

        await stopFirst.CancelAsync();
        await firstRun.WaitAsync(TimeSpan.FromSeconds(10));
        await secondLeading.Task.WaitAsync(TimeSpan.FromSeconds(5)); // released: well before the 3 s lease would expire on its own

        var lease = api.Sandbox.Get("coordination.k8s.io/v1", "Lease", "lock", Namespace)!;
        Assert.Equal("second", (string?)lease["spec"]!["holderIdentity"]);
        Assert.Equal(1, (int)lease["spec"]!["leaseTransitions"]!);
        Assert.Equal(3, (int)lease["spec"]!["leaseDurationSeconds"]!);
        Assert.Matches(MicroTime(), (string?)lease["spec"]!["renewTime"]);
        Assert.True(second.IsHealthy);
        await stopSecond.CancelAsync();
        await secondRun.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task LeaseTakenBySomeoneElse_StopsTheWork_WithinTheRenewDeadline()
    {
        await using var api = await SandboxApi.StartAsync();
        var elector = NewElector(api, "first");
        using var stop = new CancellationTokenSource();
        var leading = new TaskCompletionSource();
        var workCancelled = new TaskCompletionSource();
        var run = elector.RunAsync(
            async token =>
            {
                leading.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
                finally
                {
                    workCancelled.TrySetResult();
                }
            },
            stop.Token);
        await leading.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var lease = api.Sandbox.Get("coordination.k8s.io/v1", "Lease", "lock", Namespace)!;
        lease["spec"]!["holderIdentity"] = "intruder";
        lease["spec"]!["renewTime"] = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        api.Sandbox.Seed(lease);

        await workCancelled.Task.WaitAsync(TimeSpan.FromSeconds(6));
        Assert.False(elector.IsLeader);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("intruder", Holder(api)); // a loser never releases someone else's lease
    }

    [Fact]
    public async Task TwoCandidatesAtOnce_ExactlyOneWins()
    {
        await using var api = await SandboxApi.StartAsync();
        var electors = Enumerable.Range(0, 4).Select(i => NewElector(api, "c" + i)).ToArray();
        using var stop = new CancellationTokenSource();
        var leaders = 0;
        var maxLeaders = 0;
        var runs = electors.Select(e => e.RunAsync(
            async token =>
            {
                var now = Interlocked.Increment(ref leaders);
                InterlockedMax(ref maxLeaders, now);
                try
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
                finally
                {
                    Interlocked.Decrement(ref leaders);
                }
            },
            stop.Token)).ToArray();

        await Eventually.TrueAsync(() => Volatile.Read(ref leaders) == 1, "one candidate leads");
        await Task.Delay(2000);
        Assert.Equal(1, Volatile.Read(ref maxLeaders));
        Assert.Single(electors, e => e.IsLeader);
        await stop.CancelAsync();
        await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")]
    private static partial Regex MicroTime();

    private static Func<CancellationToken, Task> Lead(TaskCompletionSource leading)
        => async token =>
        {
            leading.TrySetResult();
            await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, TaskScheduler.Default);
        };

    private static string? Holder(SandboxApi api)
        => (string?)api.Sandbox.Get("coordination.k8s.io/v1", "Lease", "lock", Namespace)!["spec"]!["holderIdentity"];

    private static LeaderElector NewElector(SandboxApi api, string identity)
        => new(
            api.NewClient(),
            new LeaderElectionOptions("lock", Namespace, identity)
            {
                LeaseDuration = TimeSpan.FromSeconds(3),
                RenewDeadline = TimeSpan.FromSeconds(2),
                RetryPeriod = TimeSpan.FromMilliseconds(400),
            },
            NullLogger.Instance,
            TimeProvider.System);

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
