using System.Text.Json.Nodes;

namespace Csi.Provisioner.Tests.EndToEnd;

/// <summary>Two provisioners with --leader-election: one works, the other takes over when it stops.</summary>
public class LeaderElectionTests
{
    private static string Text(JsonNode? node) => node?.GetValue<string>() ?? string.Empty;

    private static readonly string[] Election = ["--leader-election", "--leader-election-namespace=default", "--leader-election-lease-duration=3s", "--leader-election-renew-deadline=2s", "--leader-election-retry-period=500ms"];

    [Fact]
    public async Task SecondProvisioner_TakesOver_WhenTheLeaderStops()
    {
        await using var cluster = await ProvisionerCluster.StartAsync();
        cluster.SeedClass("fast");
        var first = cluster.StartProvisioner(Election);
        await ProvisionerCluster.WaitForAsync(() => cluster.Sandbox.Get("coordination.k8s.io/v1", "Lease", "local-csi-csi-suite-dev", "default") is not null, "the lease");
        var second = cluster.StartProvisioner(Election);
        var firstHolder = Text(cluster.Sandbox.Get("coordination.k8s.io/v1", "Lease", "local-csi-csi-suite-dev", "default")!["spec"]!["holderIdentity"]);

        cluster.SeedClaim("one", "fast");
        await ProvisionerCluster.WaitForAsync(() => Text(cluster.Claim("one")?["status"]?["phase"]) == "Bound", "the first claim to be Bound");

        await first.CancelAsync();
        Assert.Equal(0, await cluster.ProvisionerRun(first).WaitAsync(TimeSpan.FromSeconds(15)));
        cluster.SeedClaim("two", "fast");
        await ProvisionerCluster.WaitForAsync(() => Text(cluster.Claim("two")?["status"]?["phase"]) == "Bound", "the second claim to be Bound");
        Assert.NotEqual(firstHolder, Text(cluster.Sandbox.Get("coordination.k8s.io/v1", "Lease", "local-csi-csi-suite-dev", "default")!["spec"]!["holderIdentity"]));
        Assert.Equal(2, (await cluster.DriverVolumesAsync()).Count);
        Assert.False(second.IsCancellationRequested);
    }
}
