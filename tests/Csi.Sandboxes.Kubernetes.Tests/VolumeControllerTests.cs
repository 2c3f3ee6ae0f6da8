using k8s;
using k8s.Models;

namespace Csi.Sandboxes.Kubernetes.Tests;

/// <summary>The opt-in emulation of the PV controller, the protection controllers and the scheduler's volume binding step.</summary>
public sealed class VolumeControllerTests : SandboxTestBase
{
    private const string Driver = "local.csi.example.com";

    protected override KubernetesSandboxOptions CreateOptions() => new() { EmulateVolumeControllers = true };

    private async Task ClassAsync(string name, string bindingMode = "Immediate", string provisioner = Driver) =>
        await Client.StorageV1.CreateStorageClassAsync(new V1StorageClass { Metadata = new V1ObjectMeta { Name = name }, Provisioner = provisioner, VolumeBindingMode = bindingMode });

    private async Task<V1PersistentVolumeClaim> ClaimAsync(string name, string storageClass) =>
        await Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                StorageClassName = storageClass,
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
            },
        }, "default");

    /// <summary>What external-provisioner creates for a claim: a PV named after the claim's uid, pre-bound to it.</summary>
    private async Task<V1PersistentVolume> ProvisionAsync(V1PersistentVolumeClaim claim) =>
        await Client.CoreV1.CreatePersistentVolumeAsync(new V1PersistentVolume
        {
            Metadata = new V1ObjectMeta
            {
                Name = "pvc-" + claim.Metadata.Uid,
                Annotations = new Dictionary<string, string> { ["pv.kubernetes.io/provisioned-by"] = Driver },
            },
            Spec = new V1PersistentVolumeSpec
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("2Gi") },
                AccessModes = ["ReadWriteOnce"],
                PersistentVolumeReclaimPolicy = "Delete",
                StorageClassName = claim.Spec.StorageClassName,
                Csi = new V1CSIPersistentVolumeSource { Driver = Driver, VolumeHandle = "vol-" + claim.Metadata.Name },
                ClaimRef = new V1ObjectReference { Kind = "PersistentVolumeClaim", ApiVersion = "v1", NamespaceProperty = "default", Name = claim.Metadata.Name, Uid = claim.Metadata.Uid },
            },
        });

    private static V1Pod PodUsing(string name, string claim, string? nodeName)
    {
        var pod = Pod(name, nodeName);
        pod.Spec.Volumes = [new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } }];
        return pod;
    }

    [Fact]
    public async Task ClaimOfAnOutOfTreeClass_IsAnnotatedWithItsProvisioner()
    {
        await ClassAsync("local");
        await ClassAsync("static", provisioner: "kubernetes.io/no-provisioner");
        await ClaimAsync("data", "local");
        await ClaimAsync("manual", "static");

        await Sandbox.WaitForControllersAsync();

        var annotations = Sandbox.Get<V1PersistentVolumeClaim>("data", "default")!.Metadata.Annotations;
        Assert.Equal(Driver, annotations["volume.kubernetes.io/storage-provisioner"]);
        Assert.Equal(Driver, annotations["volume.beta.kubernetes.io/storage-provisioner"]);
        Assert.Null(Sandbox.Get<V1PersistentVolumeClaim>("manual", "default")!.Metadata.Annotations);
        Assert.Equal("Pending", Sandbox.Get<V1PersistentVolumeClaim>("data", "default")!.Status.Phase);
    }

    [Fact]
    public async Task ProvisionedVolume_IsBoundToItsClaim_AndBothAreBound()
    {
        await ClassAsync("local");
        var claim = await ClaimAsync("data", "local");
        var volume = await ProvisionAsync(claim);

        await Sandbox.WaitForControllersAsync();

        var boundClaim = Sandbox.Get<V1PersistentVolumeClaim>("data", "default")!;
        var boundVolume = Sandbox.Get<V1PersistentVolume>(volume.Metadata.Name)!;
        Assert.Equal("Bound", boundClaim.Status.Phase);
        Assert.Equal(volume.Metadata.Name, boundClaim.Spec.VolumeName);
        Assert.Equal("yes", boundClaim.Metadata.Annotations["pv.kubernetes.io/bind-completed"]);
        Assert.Equal("yes", boundClaim.Metadata.Annotations["pv.kubernetes.io/bound-by-controller"]);
        Assert.Equal("2Gi", boundClaim.Status.Capacity["storage"].ToString());
        Assert.Equal(["ReadWriteOnce"], boundClaim.Status.AccessModes);
        Assert.Equal("Bound", boundVolume.Status.Phase);
        Assert.False(boundVolume.Metadata.Annotations.ContainsKey("pv.kubernetes.io/bound-by-controller"));
    }

    [Fact]
    public async Task DeletingAnUnusedClaim_RemovesIt_AndReleasesItsVolume_WhichCanThenBeDeleted()
    {
        await ClassAsync("local");
        var claim = await ClaimAsync("data", "local");
        var volume = await ProvisionAsync(claim);
        await Sandbox.WaitForControllersAsync();

        await Client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync("data", "default");
        await Sandbox.WaitForControllersAsync();

        Assert.Null(Sandbox.Get<V1PersistentVolumeClaim>("data", "default"));
        Assert.Equal("Released", Sandbox.Get<V1PersistentVolume>(volume.Metadata.Name)!.Status.Phase);

        await Client.CoreV1.DeletePersistentVolumeAsync(volume.Metadata.Name);
        await Sandbox.WaitForControllersAsync();
        Assert.Null(Sandbox.Get<V1PersistentVolume>(volume.Metadata.Name));
    }

    [Fact]
    public async Task BoundVolume_StaysWhileBound_EvenWhenDeleted()
    {
        await ClassAsync("local");
        var claim = await ClaimAsync("data", "local");
        var volume = await ProvisionAsync(claim);
        await Sandbox.WaitForControllersAsync();

        await Client.CoreV1.DeletePersistentVolumeAsync(volume.Metadata.Name);
        await Sandbox.WaitForControllersAsync();

        var kept = Sandbox.Get<V1PersistentVolume>(volume.Metadata.Name)!;
        Assert.NotNull(kept.Metadata.DeletionTimestamp);
        Assert.Contains("kubernetes.io/pv-protection", kept.Metadata.Finalizers);
    }

    [Fact]
    public async Task ClaimUsedByAScheduledPod_StaysUntilThePodGoes()
    {
        await ClassAsync("local");
        await ClaimAsync("data", "local");
        await Client.CoreV1.CreateNamespacedPodAsync(PodUsing("web", "data", "node-a"), "default");

        await Client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync("data", "default");
        await Sandbox.WaitForControllersAsync();
        var terminating = Sandbox.Get<V1PersistentVolumeClaim>("data", "default");

        await Client.CoreV1.DeleteNamespacedPodAsync("web", "default");
        await Sandbox.WaitForControllersAsync();

        Assert.NotNull(terminating?.Metadata.DeletionTimestamp);
        Assert.Null(Sandbox.Get<V1PersistentVolumeClaim>("data", "default"));
    }

    [Fact]
    public async Task WaitForFirstConsumerClaim_GetsTheNodeOfItsPod_ThenItsProvisioner()
    {
        await ClassAsync("local-wffc", bindingMode: "WaitForFirstConsumer");
        await ClaimAsync("data", "local-wffc");
        await Sandbox.WaitForControllersAsync();
        var waiting = Sandbox.Get<V1PersistentVolumeClaim>("data", "default")!;

        await Client.CoreV1.CreateNamespacedPodAsync(PodUsing("web", "data", "node-a"), "default");
        await Sandbox.WaitForControllersAsync();

        var annotations = Sandbox.Get<V1PersistentVolumeClaim>("data", "default")!.Metadata.Annotations;
        Assert.Null(waiting.Metadata.Annotations);
        Assert.Equal("node-a", annotations["volume.kubernetes.io/selected-node"]);
        Assert.Equal(Driver, annotations["volume.kubernetes.io/storage-provisioner"]);
    }

    [Fact]
    public async Task SchedulerNode_IsSelectedForPodsWithoutANode()
    {
        await using var sandbox = await KubernetesSandbox.StartAsync(new KubernetesSandboxOptions { EmulateVolumeControllers = true, SchedulerNodeName = "node-b" });
        using var client = new k8s.Kubernetes(sandbox.ClientConfiguration());
        await client.StorageV1.CreateStorageClassAsync(new V1StorageClass { Metadata = new V1ObjectMeta { Name = "wffc" }, Provisioner = Driver, VolumeBindingMode = "WaitForFirstConsumer" });
        await client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "data" },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                StorageClassName = "wffc",
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
            },
        }, "default");
        await client.CoreV1.CreateNamespacedPodAsync(PodUsing("web", "data", nodeName: null), "default");

        await sandbox.WaitForControllersAsync();

        Assert.Equal("node-b", sandbox.Get<V1PersistentVolumeClaim>("data", "default")!.Metadata.Annotations["volume.kubernetes.io/selected-node"]);
    }

    [Fact]
    public async Task WithoutEmulation_ClaimsStayAsWritten()
    {
        await using var sandbox = await KubernetesSandbox.StartAsync();
        using var client = new k8s.Kubernetes(sandbox.ClientConfiguration());
        await client.StorageV1.CreateStorageClassAsync(new V1StorageClass { Metadata = new V1ObjectMeta { Name = "local" }, Provisioner = Driver });
        var claim = await client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "data" },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                StorageClassName = "local",
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
            },
        }, "default");

        await sandbox.WaitForControllersAsync();

        var stored = sandbox.Get<V1PersistentVolumeClaim>("data", "default")!;
        Assert.Equal(claim.Metadata.ResourceVersion, stored.Metadata.ResourceVersion);
        Assert.Null(stored.Metadata.Annotations);
    }
}
