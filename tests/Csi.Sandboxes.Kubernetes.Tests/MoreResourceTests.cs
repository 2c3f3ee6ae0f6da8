using System.Net;
using System.Text;
using k8s;
using k8s.Models;

namespace Csi.Sandboxes.Kubernetes.Tests;

public sealed class MoreResourceTests : SandboxTestBase
{
    protected override KubernetesSandboxOptions CreateOptions() => new() { BookmarkInterval = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task PeriodicBookmarks_ArriveOnWatchesThatAllowThem()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var bookmarks = 0;
        await foreach (var (type, _) in Client.CoreV1.WatchListNamespacedSecretAsync("default", allowWatchBookmarks: true, resourceVersion: Sandbox.ResourceVersion.ToString(), cancellationToken: cts.Token))
        {
            Assert.Equal(WatchEventType.Bookmark, type);
            if (++bookmarks == 2)
            {
                break;
            }
        }

        Assert.Equal(2, bookmarks);
    }

    [Fact]
    public async Task VolumesAndClaims_GetPendingStatusAndDefaults()
    {
        var pvc = await Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(
            new V1PersistentVolumeClaim
            {
                Metadata = new V1ObjectMeta { Name = "data", Annotations = new Dictionary<string, string> { ["volume.kubernetes.io/storage-provisioner"] = "example.com/local" } },
                Spec = new V1PersistentVolumeClaimSpec
                {
                    AccessModes = ["ReadWriteOnce"],
                    StorageClassName = "local",
                    Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
                },
            },
            "default");
        var pv = await Client.CoreV1.CreatePersistentVolumeAsync(new V1PersistentVolume
        {
            Metadata = new V1ObjectMeta { Name = "pvc-" + pvc.Metadata.Uid, Finalizers = ["external-provisioner.volume.kubernetes.io/finalizer"] },
            Spec = new V1PersistentVolumeSpec
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") },
                AccessModes = ["ReadWriteOnce"],
                Csi = new V1CSIPersistentVolumeSource { Driver = "local.csi.example.com", VolumeHandle = "vol-1" },
                ClaimRef = new V1ObjectReference { Kind = "PersistentVolumeClaim", Name = "data", NamespaceProperty = "default", Uid = pvc.Metadata.Uid },
            },
        });

        Assert.Equal("Pending", pvc.Status.Phase);
        Assert.Equal("Filesystem", pvc.Spec.VolumeMode);
        Assert.Equal("Pending", pv.Status.Phase);
        Assert.Equal("Retain", pv.Spec.PersistentVolumeReclaimPolicy);

        var bound = new V1Patch("""{"status":{"phase":"Bound"}}""", V1Patch.PatchType.MergePatch);
        Assert.Equal("Bound", (await Client.CoreV1.PatchPersistentVolumeStatusAsync(bound, pv.Metadata.Name)).Status.Phase);

        var deleted = await Client.CoreV1.DeletePersistentVolumeAsync(pv.Metadata.Name);
        Assert.NotNull(deleted.Metadata.DeletionTimestamp);
        Assert.NotNull(Sandbox.Get<V1PersistentVolume>(pv.Metadata.Name));
    }

    [Fact]
    public async Task CsiNodesAndStorageCapacities_AreServed()
    {
        await Client.StorageV1.CreateCSINodeAsync(new V1CSINode
        {
            Metadata = new V1ObjectMeta { Name = "node-a" },
            Spec = new V1CSINodeSpec { Drivers = [new V1CSINodeDriver { Name = "secrets-store.csi.k8s.io", NodeID = "node-a" }] },
        });
        await Client.StorageV1.CreateNamespacedCSIStorageCapacityAsync(
            new V1CSIStorageCapacity
            {
                Metadata = new V1ObjectMeta { GenerateName = "csisc-", Labels = new Dictionary<string, string> { ["csi.storage.k8s.io/drivername"] = "local.csi.example.com" } },
                StorageClassName = "local",
                Capacity = new ResourceQuantity("10Gi"),
            },
            "kube-system");

        var node = await Client.StorageV1.ReadCSINodeAsync("node-a");
        var capacities = await Client.StorageV1.ListNamespacedCSIStorageCapacityAsync("kube-system", labelSelector: "csi.storage.k8s.io/drivername=local.csi.example.com");

        Assert.Equal("node-a", Assert.Single(node.Spec.Drivers).NodeID);
        Assert.Equal("10Gi", Assert.Single(capacities.Items).Capacity.ToString());
    }

    [Fact]
    public async Task DeleteCollection_RemovesOnlySelectedObjects()
    {
        Sandbox.SeedMany(new[]
        {
            Secret("a", new Dictionary<string, string> { ["tier"] = "cache" }),
            Secret("b", new Dictionary<string, string> { ["tier"] = "cache" }),
            Secret("c"),
        });

        await Client.CoreV1.DeleteCollectionNamespacedSecretAsync("default", labelSelector: "tier=cache");

        Assert.Equal(["c"], (await Client.CoreV1.ListNamespacedSecretAsync("default")).Items.Select(s => s.Metadata.Name).ToArray());
    }

    [Fact]
    public async Task DryRun_ValidatesButStoresNothing()
    {
        var created = await Client.CoreV1.CreateNamespacedSecretAsync(Secret("db"), "default", dryRun: "All");

        Assert.Equal("db", created.Metadata.Name);
        Assert.Null(Sandbox.Get<V1Secret>("db", "default"));
    }

    [Fact]
    public async Task ImmutableSecrets_RejectDataChanges()
    {
        var secret = Secret("frozen");
        secret.Immutable = true;
        var created = await Client.CoreV1.CreateNamespacedSecretAsync(secret, "default");

        created.Data["password"] = Encoding.UTF8.GetBytes("changed");
        var (error, status) = await ExpectApiErrorAsync(() => Client.CoreV1.ReplaceNamespacedSecretAsync(created, "frozen", "default"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Contains("field is immutable when `immutable` is set", status["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedManifest_AcceptsMultiDocumentYaml()
    {
        var seeded = Sandbox.SeedManifest("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: apps
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              namespace: apps
            data:
              replicas: "3"
              enabled: "true"
            """);

        Assert.Equal(2, seeded.Count);
        var cm = await Client.CoreV1.ReadNamespacedConfigMapAsync("settings", "apps");
        Assert.Equal("3", cm.Data["replicas"]);
    }

    [Fact]
    public async Task Seeding_IsVisibleToWatches_AndTypedHelpersRoundTrip()
    {
        var start = Sandbox.ResourceVersion.ToString();
        var seeded = Sandbox.Seed(Pod("seeded", "node-a"));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var (type, pod) in Client.CoreV1.WatchListNamespacedPodAsync("default", resourceVersion: start, cancellationToken: cts.Token))
        {
            Assert.Equal(WatchEventType.Added, type);
            Assert.Equal(seeded.Metadata.Uid, pod.Metadata.Uid);
            break;
        }

        Assert.True(Sandbox.Delete<V1Pod>("seeded", "default"));
        Assert.False(Sandbox.Delete<V1Pod>("seeded", "default"));
        Assert.Empty(Sandbox.List<V1Pod>("default"));
    }
}
