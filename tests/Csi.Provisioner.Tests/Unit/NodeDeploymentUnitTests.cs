using Csi.Common.Flags;
using Csi.Kubernetes.Models;
using Csi.Provisioner.Capacity;
using Csi.Provisioner.Models;
using Csi.Provisioner.NodeDeployment;

namespace Csi.Provisioner.Tests.Unit;

public class NodeDeploymentUnitTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] values)
        => name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Parse_NodeDeployment_TakesNodeNameFromEnv()
    {
        var o = ProvisionerOptions.Parse(["--node-deployment", "--node-deployment-base-delay=1s", "--node-deployment-max-delay=2s"], Env(("NODE_NAME", "node-a")));
        Assert.Equal("node-a", o.NodeName);
        Assert.True(o.NodeDeploymentImmediateBinding);
        Assert.Equal(TimeSpan.FromSeconds(1), o.NodeDeploymentBaseDelay);
    }

    [Fact]
    public void Parse_Defaults_OfTheNewFlags_AreUpstreams()
    {
        var o = ProvisionerOptions.Parse([], Env());
        Assert.Equal((TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(60), true), (o.NodeDeploymentBaseDelay, o.NodeDeploymentMaxDelay, o.NodeDeploymentImmediateBinding));
        Assert.Equal((1, TimeSpan.FromMinutes(1), false, 1), (o.CapacityOwnerrefLevel, o.CapacityPollInterval, o.CapacityForImmediateBinding, o.CapacityThreads));
    }

    [Theory]
    [InlineData(new[] { "--node-deployment" }, "NODE_NAME")]
    [InlineData(new[] { "--enable-capacity", "--capacity-ownerref-level=-1" }, "NAMESPACE")]
    [InlineData(new[] { "--enable-capacity" }, "POD_NAME")]
    [InlineData(new[] { "--capacity-ownerref-level=2" }, "--capacity-ownerref-level")]
    [InlineData(new[] { "--capacity-poll-interval=0s" }, "--capacity-poll-interval")]
    [InlineData(new[] { "--capacity-threads=0" }, "--capacity-threads")]
    [InlineData(new[] { "--node-deployment-base-delay=0s" }, "--node-deployment-base-delay")]
    [InlineData(new[] { "--node-deployment-base-delay=10s", "--node-deployment-max-delay=5s" }, "--node-deployment-max-delay")]
    public void Parse_BadNodeOrCapacitySetting_NamesFlagAndEnv(string[] args, string named)
    {
        var env = args.Contains("--enable-capacity") && named == "POD_NAME" ? Env(("NAMESPACE", "kube-system")) : Env();
        var error = Assert.Throws<FlagException>(() => ProvisionerOptions.Parse(args, env));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Parse_Capacity_WithEnv_IsAccepted()
    {
        var o = ProvisionerOptions.Parse(["--enable-capacity", "--capacity-ownerref-level=0"], Env(("NAMESPACE", "kube-system"), ("POD_NAME", "csi-0")));
        Assert.Equal(("kube-system", "csi-0"), (o.CapacityNamespace, o.PodName));
    }

    [Fact]
    public void OwnershipDelay_FirstAttempt_IsBetweenBaseAndTwiceBase_LaterAttemptsCappedAtMax()
    {
        var b = TimeSpan.FromSeconds(20);
        var m = TimeSpan.FromSeconds(60);
        Assert.Equal(b, OwnershipDelay.For(0, b, m, false, 0));
        Assert.Equal(TimeSpan.FromSeconds(30), OwnershipDelay.For(0, b, m, false, 0.5));
        Assert.True(OwnershipDelay.For(0, b, m, false, 0.999) < TimeSpan.FromSeconds(40));
        Assert.Equal(m, OwnershipDelay.For(5, b, m, false, 1));
        Assert.Equal(m, OwnershipDelay.For(0, b, m, true, 0));
    }

    private static VolumeNodeAffinity Affinity(string key, string value) => new()
    {
        Required = new NodeSelector { NodeSelectorTerms = [new NodeSelectorTerm { MatchExpressions = [new NodeSelectorRequirement { Key = key, Operator = "In", Values = [value] }] }] },
    };

    [Fact]
    public void NodeAffinity_NamesNode_ByLabels_OrByNameWithoutLabels()
    {
        var labels = new Dictionary<string, string> { ["topology.x/node"] = "b" };
        Assert.True(NodeAffinityMatcher.NamesNode(Affinity("topology.x/node", "b"), "node-b", labels));
        Assert.False(NodeAffinityMatcher.NamesNode(Affinity("topology.x/node", "a"), "node-b", labels));
        Assert.True(NodeAffinityMatcher.NamesNode(Affinity("k", "node-b"), "node-b", null));
        Assert.False(NodeAffinityMatcher.NamesNode(null, "node-b", labels));
    }

    [Fact]
    public void ManagedBy_IsUpstreamsValue_PerNode_AndFitsALabel()
    {
        Assert.Equal("external-provisioner", ManagedBy.For(null));
        Assert.Equal("external-provisioner-node-a", ManagedBy.For("node-a"));
        var longName = ManagedBy.For(new string('n', 100));
        Assert.True(longName.Length <= 63);
        Assert.NotEqual(longName, ManagedBy.For(new string('n', 99)));
    }

    private static CsiStorageCapacity Published(string name, string className, string node, string capacity) => new()
    {
        Metadata = new ObjectMeta { Name = name, CreationTimestamp = "2026-01-01T00:00:0" + name[^1] + "Z" },
        StorageClassName = className,
        NodeTopology = new LabelSelectorModel { MatchLabels = new() { ["k"] = node } },
        Capacity = capacity,
        MaximumVolumeSize = capacity,
    };

    [Fact]
    public void CapacityPlan_CreatesMissing_UpdatesChanged_DeletesGoneAndDuplicates()
    {
        var desired = new Dictionary<CapacityKey, CapacityValue>
        {
            [new CapacityKey(new Dictionary<string, string> { ["k"] = "a" }, "fast")] = new(1L << 30, 1L << 30),
            [new CapacityKey(new Dictionary<string, string> { ["k"] = "a" }, "slow")] = new(2L << 30, 2L << 30),
            [new CapacityKey(new Dictionary<string, string> { ["k"] = "a" }, "new")] = new(1L << 20, null),
        };
        var plan = CapacityPlan.Of(desired, [
            Published("c1", "fast", "a", "1Gi"),
            Published("c2", "slow", "a", "1Gi"),
            Published("c3", "gone", "a", "1Gi"),
            Published("c4", "fast", "a", "1Gi"),
        ]);
        Assert.Equal("new", Assert.Single(plan.Create).Key.ClassName);
        Assert.Equal("c2", Assert.Single(plan.Update).Existing.Metadata.Name);
        Assert.Equal(["c3", "c4"], plan.Delete.Select(d => d.Metadata.Name!).Order(StringComparer.Ordinal));
        var item = new CsiStorageCapacity();
        CapacityPlan.Apply(item, new CapacityValue(1L << 20, null));
        Assert.Equal(("1Mi", null), (item.Capacity, item.MaximumVolumeSize));
    }

    [Fact]
    public void CapacitySegments_AreTheNodesValuesOfTheDriversKeys()
    {
        var csiNodes = new[] { "a", "b", "c" }.Select(n => new CsiNode
        {
            Metadata = new ObjectMeta { Name = n },
            Spec = new CsiNodeSpec { Drivers = [new CsiNodeDriver { Name = n == "c" ? "other" : "d", NodeId = n, TopologyKeys = ["k"] }] },
        });
        var segments = CapacitySegments.Of("d", csiNodes, n => new NodeResource { Metadata = new ObjectMeta { Name = n, Labels = new() { ["k"] = n } } });
        Assert.Equal(["a", "b"], segments.Select(s => s["k"]));
    }

    [Fact]
    public void CapacityOwner_Level0IsThePod_Level1ItsController()
    {
        var pod = new ObjectMeta { Name = "csi-0", Uid = "u0", OwnerReferences = [new OwnerReference { ApiVersion = "apps/v1", Kind = "DaemonSet", Name = "csi", Uid = "u1", Controller = true }] };
        Assert.Equal(("Pod", "csi-0"), (CapacityOwner.Select(pod, 0)!.Kind, CapacityOwner.Select(pod, 0)!.Name));
        Assert.Equal(("DaemonSet", "u1"), (CapacityOwner.Select(pod, 1)!.Kind, CapacityOwner.Select(pod, 1)!.Uid));
        Assert.Null(CapacityOwner.Select(new ObjectMeta { Name = "bare" }, 1));
    }
}
