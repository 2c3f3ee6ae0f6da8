using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Csi.Sandboxes.Kubernetes.Tests;

/// <summary>PersistentVolumes, claims and StorageClasses are validated and protected as kube-apiserver does.</summary>
public sealed class StorageValidationTests : SandboxTestBase
{
    private static string[] Causes(JsonObject status) =>
        status["details"]!["causes"]!.AsArray().Select(c => $"{c!["field"]}: {c["message"]}").ToArray();

    private static V1PersistentVolumeClaim Claim(string name, string size = "1Gi", string? storageClass = "local") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = storageClass,
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) } },
        },
    };

    private static V1PersistentVolume Volume(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PersistentVolumeSpec
        {
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") },
            AccessModes = ["ReadWriteOnce"],
            Csi = new V1CSIPersistentVolumeSource { Driver = "local.csi.example.com", VolumeHandle = name },
        },
    };

    [Fact]
    public async Task VolumeWithoutCapacityModesOrSource_IsInvalid_WithOneCausePerField()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/persistentvolumes", """{"metadata":{"name":"code-pv"},"spec":{}}""");

        Assert.Equal(422, status);
        Assert.Equal("Invalid", body["reason"]!.GetValue<string>());
        Assert.Equal(
            [
                "spec.accessModes: Required value",
                "spec.capacity: Required value",
                "spec.capacity: Unsupported value: core.ResourceList(nil): supported values: \"storage\"",
                "spec: Required value: must specify a volume type",
            ],
            Causes(body));
        Assert.StartsWith("PersistentVolume \"code-pv\" is invalid: [spec.accessModes: Required value, ", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VolumeWithTwoSourcesBadEnumsAndZeroCapacity_IsInvalid()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/persistentvolumes", """
            {"metadata":{"name":"pv"},"spec":{"capacity":{"storage":"0"},"accessModes":["ReadWriteSometimes"],"persistentVolumeReclaimPolicy":"Keep",
             "volumeMode":"Raw","hostPath":{"path":"/data"},"csi":{"driver":"local.csi.example.com"}}}
            """);

        Assert.Equal(422, status);
        Assert.Equal(
            [
                "spec.accessModes: Unsupported value: \"ReadWriteSometimes\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"",
                "spec.capacity[storage]: Invalid value: \"0\": must be greater than zero",
                "spec.volumeMode: Unsupported value: \"Raw\": supported values: \"Block\", \"Filesystem\"",
                "spec.persistentVolumeReclaimPolicy: Unsupported value: \"Keep\": supported values: \"Delete\", \"Recycle\", \"Retain\"",
                "spec.csi: Forbidden: may not specify more than 1 volume type",
            ],
            Causes(body));
    }

    [Fact]
    public async Task VolumeSource_IsImmutable_ButACsiVolumeMayGainItsExpandSecret()
    {
        await Client.CoreV1.CreatePersistentVolumeAsync(Volume("pv-1"));

        var (status, body) = await SendAsync(HttpMethod.Patch, "/api/v1/persistentvolumes/pv-1",
            """{"spec":{"csi":{"volumeHandle":"other"}}}""", "application/merge-patch+json");
        var (secretStatus, _) = await SendAsync(HttpMethod.Patch, "/api/v1/persistentvolumes/pv-1",
            """{"spec":{"csi":{"controllerExpandSecretRef":{"name":"s","namespace":"default"}}}}""", "application/merge-patch+json");

        Assert.Equal(422, status);
        Assert.Equal(["spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation"], Causes(body));
        Assert.Equal(200, secretStatus);
        Assert.Equal("pv-1", Sandbox.Get<V1PersistentVolume>("pv-1")!.Spec.Csi.VolumeHandle);
        Assert.Equal("s", Sandbox.Get<V1PersistentVolume>("pv-1")!.Spec.Csi.ControllerExpandSecretRef.Name);
    }

    [Fact]
    public async Task ClaimWithoutModesOrStorageRequest_IsInvalid()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/persistentvolumeclaims",
            """{"metadata":{"name":"data"},"spec":{"resources":{}}}""");

        Assert.Equal(422, status);
        Assert.Equal(["spec.accessModes: Required value: at least 1 access mode is required", "spec.resources[storage]: Required value"], Causes(body));
        Assert.Equal("PersistentVolumeClaim \"data\" is invalid: [spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value]", body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ClaimSpec_IsImmutable_ExceptVolumeNameOnceAndTheRequestOfABoundClaim()
    {
        await Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("data"), "default");

        var (classStatus, classBody) = await SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/persistentvolumeclaims/data",
            """{"spec":{"storageClassName":"other"}}""", "application/merge-patch+json");
        var (growUnbound, _) = await SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/persistentvolumeclaims/data",
            """{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}""", "application/merge-patch+json");
        var (bind, _) = await SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/persistentvolumeclaims/data",
            """{"spec":{"volumeName":"pv-1"}}""", "application/merge-patch+json");
        var (rebind, _) = await SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/persistentvolumeclaims/data",
            """{"spec":{"volumeName":"pv-2"}}""", "application/merge-patch+json");
        await SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/persistentvolumeclaims/data/status",
            """{"status":{"phase":"Bound","capacity":{"storage":"1Gi"}}}""", "application/merge-patch+json");
        var (growBound, _) = await SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/persistentvolumeclaims/data",
            """{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}""", "application/merge-patch+json");
        var (shrinkBelowCapacity, shrinkBody) = await SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/persistentvolumeclaims/data",
            """{"spec":{"resources":{"requests":{"storage":"512Mi"}}}}""", "application/merge-patch+json");

        Assert.Equal((422, 422, 200, 422, 200, 422), (classStatus, growUnbound, bind, rebind, growBound, shrinkBelowCapacity));
        Assert.Equal(["spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"], Causes(classBody));
        Assert.Contains("spec.resources.requests.storage: Forbidden: field can not be less than status.capacity", Causes(shrinkBody));
        var stored = Sandbox.Get<V1PersistentVolumeClaim>("data", "default")!;
        Assert.Equal("pv-1", stored.Spec.VolumeName);
        Assert.Equal("2Gi", stored.Spec.Resources.Requests["storage"].ToString());
    }

    [Fact]
    public async Task StorageClass_IsValidated_AndItsParametersProvisionerAndPoliciesAreImmutable()
    {
        var (badStatus, bad) = await SendAsync(HttpMethod.Post, "/apis/storage.k8s.io/v1/storageclasses",
            """{"metadata":{"name":"bad"},"reclaimPolicy":"Recycle","volumeBindingMode":"Later"}""");
        await Client.StorageV1.CreateStorageClassAsync(new V1StorageClass
        {
            Metadata = new V1ObjectMeta { Name = "local" },
            Provisioner = "local.csi.example.com",
            Parameters = new Dictionary<string, string> { ["pool"] = "a" },
            VolumeBindingMode = "WaitForFirstConsumer",
        });
        var (updateStatus, update) = await SendAsync(HttpMethod.Patch, "/apis/storage.k8s.io/v1/storageclasses/local",
            """{"provisioner":"other.example.com","parameters":{"pool":"b"},"reclaimPolicy":"Retain","volumeBindingMode":"Immediate"}""", "application/merge-patch+json");
        var (labelStatus, _) = await SendAsync(HttpMethod.Patch, "/apis/storage.k8s.io/v1/storageclasses/local",
            """{"metadata":{"labels":{"tier":"fast"}},"allowVolumeExpansion":true}""", "application/merge-patch+json");

        Assert.Equal((422, 422, 200), (badStatus, updateStatus, labelStatus));
        Assert.Equal(
            [
                "provisioner: Required value",
                "reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\"",
                "volumeBindingMode: Unsupported value: \"Later\": supported values: \"Immediate\", \"WaitForFirstConsumer\"",
            ],
            Causes(bad));
        Assert.Equal(
            [
                "parameters: Forbidden: updates to parameters are forbidden.",
                "provisioner: Forbidden: updates to provisioner are forbidden.",
                "reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.",
                "volumeBindingMode: Invalid value: \"Immediate\": field is immutable",
            ],
            Causes(update));
        Assert.Equal("StorageClass.storage.k8s.io \"local\" is invalid: [parameters: Forbidden: updates to parameters are forbidden., provisioner: Forbidden: updates to provisioner are forbidden., reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden., volumeBindingMode: Invalid value: \"Immediate\": field is immutable]", update["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task NewClaimsAndVolumes_GetTheirProtectionFinalizer_AndStayUntilItIsRemoved()
    {
        var claim = await Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("data"), "default");
        var volume = await Client.CoreV1.CreatePersistentVolumeAsync(Volume("pv-1"));
        var withOwnFinalizer = Volume("pv-2");
        withOwnFinalizer.Metadata.Finalizers = ["external-provisioner.volume.kubernetes.io/finalizer"];
        var provisioned = await Client.CoreV1.CreatePersistentVolumeAsync(withOwnFinalizer);

        Assert.Equal(["kubernetes.io/pvc-protection"], claim.Metadata.Finalizers);
        Assert.Equal(["kubernetes.io/pv-protection"], volume.Metadata.Finalizers);
        Assert.Equal(["external-provisioner.volume.kubernetes.io/finalizer", "kubernetes.io/pv-protection"], provisioned.Metadata.Finalizers);

        var deleted = await Client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync("data", "default");
        Assert.NotNull(deleted.Metadata.DeletionTimestamp);
        Assert.NotNull(Sandbox.Get<V1PersistentVolumeClaim>("data", "default"));

        await Client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "data", "default");
        Assert.Null(Sandbox.Get<V1PersistentVolumeClaim>("data", "default"));
    }
}
