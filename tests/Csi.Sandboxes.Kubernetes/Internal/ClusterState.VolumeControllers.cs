using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// An opt-in emulation of the controllers a cluster runs for volumes, kept to the steps provisioners observe:
/// kube-controller-manager's PV controller (provisioner annotation, binding, Available/Bound/Released phases), the
/// pv-protection and pvc-protection controllers, and the scheduler's volume binding step (selected-node for
/// WaitForFirstConsumer claims). Not the real algorithms: no matching of free volumes by size or selector, no
/// recycling, no events.
/// </summary>
internal sealed partial class ClusterState
{
    public const string SelectedNodeAnnotation = "volume.kubernetes.io/selected-node";
    public const string StorageProvisionerAnnotation = "volume.kubernetes.io/storage-provisioner";
    public const string BetaStorageProvisionerAnnotation = "volume.beta.kubernetes.io/storage-provisioner";
    public const string BindCompletedAnnotation = "pv.kubernetes.io/bind-completed";
    public const string BoundByControllerAnnotation = "pv.kubernetes.io/bound-by-controller";
    private const string NoProvisioner = "kubernetes.io/no-provisioner";

    /// <summary>Run <see cref="ReconcileVolumes"/> after changes (off by default).</summary>
    public bool EmulateVolumeControllers { get; set; }

    /// <summary>The node the emulated scheduler picks for pods without <c>spec.nodeName</c>; null leaves them alone.</summary>
    public string? SchedulerNodeName { get; set; }

    /// <summary>One pass of the emulated volume controllers; true when something changed (run again until false).</summary>
    public bool ReconcileVolumes()
    {
        if (!EmulateVolumeControllers)
        {
            return false;
        }

        lock (_gate)
        {
            var pvs = FindResource("", "v1", "persistentvolumes")!.Store;
            var pvcs = FindResource("", "v1", "persistentvolumeclaims")!.Store;
            var pods = FindResource("", "v1", "pods")!.Store;
            var classes = FindResource("storage.k8s.io", "v1", "storageclasses")!.Store;
            var changed = false;

            // Scheduler: a pod on a node selects that node for its WaitForFirstConsumer claims.
            foreach (var pod in pods.Objects.Values.Select(p => p.ToJsonObject()).ToList())
            {
                var node = JsonText.GetString(pod, "spec", "nodeName") ?? SchedulerNodeName;
                var ns = JsonText.GetString(pod, "metadata", "namespace");
                if (string.IsNullOrEmpty(node) || IsShutDown(pod))
                {
                    continue;
                }

                foreach (var claimName in ClaimNames(pod))
                {
                    if (pvcs.Objects.GetValueOrDefault(StoredObject.KeyOf(ns, claimName)) is not { } claim)
                    {
                        continue;
                    }

                    var json = claim.ToJsonObject();
                    if (string.IsNullOrEmpty(JsonText.GetString(json, "spec", "volumeName"))
                        && BindingMode(classes, json) == "WaitForFirstConsumer"
                        && JsonText.GetString(json, "metadata", "annotations", SelectedNodeAnnotation) is null)
                    {
                        changed |= Rewrite(pvcs, claim, o => JsonText.Child(JsonText.Metadata(o), "annotations")[SelectedNodeAnnotation] = node);
                    }
                }
            }

            // PV controller, claims: provisioner annotation, then binding to the volume that names the claim.
            var volumesByClaim = VolumesByClaim(pvs);
            foreach (var claim in pvcs.Objects.Values.ToList())
            {
                changed |= SyncClaim(pvs, pvcs, classes, claim, volumesByClaim);
            }

            // PV controller, volumes: Available when free, Released when their claim is gone.
            foreach (var volume in pvs.Objects.Values.ToList())
            {
                changed |= SyncVolume(pvs, pvcs, volume);
            }

            // Protection controllers: add the finalizer to live objects, drop it from deleting ones nothing uses.
            foreach (var volume in pvs.Objects.Values.ToList())
            {
                var inUse = JsonText.GetString(volume.ToJsonObject(), "status", "phase") == "Bound";
                changed |= Protect(pvs, volume, StorageValidation.PvProtectionFinalizer, inUse);
            }

            foreach (var claim in pvcs.Objects.Values.ToList())
            {
                var inUse = pods.Objects.Values.Where(p => p.Namespace == claim.Namespace).Select(p => p.ToJsonObject())
                    .Any(p => !string.IsNullOrEmpty(JsonText.GetString(p, "spec", "nodeName")) && !IsShutDown(p) && ClaimNames(p).Contains(claim.Name));
                changed |= Protect(pvcs, claim, StorageValidation.PvcProtectionFinalizer, inUse);
            }

            return changed;
        }
    }

    /// <summary>
    /// The keys of the volumes whose claimRef names each claim (namespace/name), parsed once per pass: looking a
    /// claim's volume up among all volumes for every claim made a pass quadratic, seconds under the lock at a
    /// thousand claims.
    /// </summary>
    private static Dictionary<string, List<string>> VolumesByClaim(ResourceStore pvs)
    {
        var index = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var volume in pvs.Objects.Values)
        {
            if (volume.ToJsonObject()["spec"]?["claimRef"] is JsonObject claimRef && JsonText.GetString(claimRef, "name") is { } name)
            {
                var key = StoredObject.KeyOf(JsonText.GetString(claimRef, "namespace"), name);
                if (!index.TryGetValue(key, out var keys))
                {
                    index[key] = keys = [];
                }
                keys.Add(volume.Key);
            }
        }
        return index;
    }

    private bool SyncClaim(ResourceStore pvs, ResourceStore pvcs, ResourceStore classes, StoredObject claim, Dictionary<string, List<string>> volumesByClaim)
    {
        if (!pvcs.Objects.TryGetValue(claim.Key, out var current) || current.Uid != claim.Uid)
        {
            return false;
        }

        var json = current.ToJsonObject();
        var volumeName = JsonText.GetString(json, "spec", "volumeName");
        var volume = string.IsNullOrEmpty(volumeName)
            ? volumesByClaim.GetValueOrDefault(current.Key)?.Select(key => pvs.Objects.GetValueOrDefault(key)).FirstOrDefault(v => v is not null && NamesClaim(v.ToJsonObject(), current))
            : pvs.Objects.GetValueOrDefault(StoredObject.KeyOf(null, volumeName));
        if (volume is null)
        {
            if (!string.IsNullOrEmpty(volumeName) || JsonText.GetString(json, "metadata", "annotations", StorageProvisionerAnnotation) is not null)
            {
                return false;
            }

            // provisionClaim: an out-of-tree class gets its provisioner named on the claim (after a node is selected for WaitForFirstConsumer).
            var className = JsonText.GetString(json, "spec", "storageClassName");
            var storageClass = string.IsNullOrEmpty(className) ? null : classes.Objects.GetValueOrDefault(StoredObject.KeyOf(null, className))?.ToJsonObject();
            var provisioner = JsonText.GetString(storageClass, "provisioner");
            var waiting = JsonText.GetString(storageClass, "volumeBindingMode") == "WaitForFirstConsumer"
                && JsonText.GetString(json, "metadata", "annotations", SelectedNodeAnnotation) is null;
            if (provisioner is null || provisioner == NoProvisioner || waiting)
            {
                return false;
            }

            return Rewrite(pvcs, current, o =>
            {
                var annotations = JsonText.Child(JsonText.Metadata(o), "annotations");
                annotations[StorageProvisionerAnnotation] = provisioner;
                annotations[BetaStorageProvisionerAnnotation] = provisioner;
            });
        }

        var volumeJson = volume.ToJsonObject();
        var claimRef = volumeJson["spec"]?["claimRef"] as JsonObject;
        if (claimRef is not null && !NamesClaim(volumeJson, current))
        {
            return false; // The volume belongs to another claim.
        }

        // bind(): the volume's claimRef, its phase, the claim's volumeName, annotations and status.
        var changed = Rewrite(pvs, volume, o =>
        {
            var spec = JsonText.Child(o, "spec");
            if (spec["claimRef"] is not JsonObject existing || string.IsNullOrEmpty(JsonText.GetString(existing, "uid")))
            {
                if (spec["claimRef"] is null)
                {
                    JsonText.Child(JsonText.Metadata(o), "annotations")[BoundByControllerAnnotation] = "yes";
                }

                spec["claimRef"] = new JsonObject
                {
                    ["kind"] = "PersistentVolumeClaim",
                    ["namespace"] = current.Namespace,
                    ["name"] = current.Name,
                    ["uid"] = current.Uid,
                    ["apiVersion"] = "v1",
                    ["resourceVersion"] = current.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
            }

            JsonText.Child(o, "status")["phase"] = "Bound";
        });
        changed |= Rewrite(pvcs, current, o =>
        {
            var spec = JsonText.Child(o, "spec");
            var annotations = JsonText.Child(JsonText.Metadata(o), "annotations");
            if (JsonText.GetString(spec, "volumeName") != volume.Name)
            {
                spec["volumeName"] = volume.Name;
                annotations[BoundByControllerAnnotation] = "yes";
            }

            annotations[BindCompletedAnnotation] = "yes";
            var status = JsonText.Child(o, "status");
            status["phase"] = "Bound";
            status["accessModes"] = volumeJson["spec"]?["accessModes"]?.DeepClone();
            status["capacity"] = volumeJson["spec"]?["capacity"]?.DeepClone();
        });
        return changed;
    }

    private bool SyncVolume(ResourceStore pvs, ResourceStore pvcs, StoredObject volume)
    {
        if (!pvs.Objects.TryGetValue(volume.Key, out var current) || current.Uid != volume.Uid)
        {
            return false;
        }

        var json = current.ToJsonObject();
        var phase = JsonText.GetString(json, "status", "phase");
        var claimRef = json["spec"]?["claimRef"] as JsonObject;
        string? wanted;
        if (claimRef is null)
        {
            wanted = "Available";
        }
        else
        {
            var claim = pvcs.Objects.GetValueOrDefault(StoredObject.KeyOf(JsonText.GetString(claimRef, "namespace"), JsonText.GetString(claimRef, "name") ?? string.Empty));
            var uid = JsonText.GetString(claimRef, "uid");
            wanted = string.IsNullOrEmpty(uid)
                ? (claim is null ? "Available" : null)
                : (claim is null || claim.Uid != uid ? (phase is "Released" or "Failed" ? null : "Released") : null);
        }

        return wanted is not null && wanted != phase && Rewrite(pvs, current, o => JsonText.Child(o, "status")["phase"] = wanted);
    }

    private bool Protect(ResourceStore store, StoredObject obj, string finalizer, bool inUse)
    {
        if (!store.Objects.TryGetValue(obj.Key, out var current) || current.Uid != obj.Uid)
        {
            return false;
        }

        var has = current.Finalizers.Contains(finalizer, StringComparer.Ordinal);
        if (!current.IsDeleting && !has)
        {
            return Rewrite(store, current, o => JsonText.Metadata(o)["finalizers"] = JsonText.ToArray([.. current.Finalizers, finalizer]));
        }

        if (current.IsDeleting && has && !inUse)
        {
            RemoveFinalizer(store, current, finalizer);
            return true;
        }

        return false;
    }

    /// <summary>Writes <paramref name="mutate"/>'s change as a controller's update would; false when it changes nothing.</summary>
    private bool Rewrite(ResourceStore store, StoredObject current, Action<JsonObject> mutate)
    {
        var obj = current.ToJsonObject();
        var before = obj.DeepClone();
        mutate(obj);
        if (JsonNode.DeepEquals(before, obj))
        {
            return false;
        }

        Commit(store, obj, current);
        return true;
    }

    private static bool NamesClaim(JsonObject volume, StoredObject claim) =>
        volume["spec"]?["claimRef"] is JsonObject claimRef
        && JsonText.GetString(claimRef, "name") == claim.Name
        && JsonText.GetString(claimRef, "namespace") == claim.Namespace
        && (string.IsNullOrEmpty(JsonText.GetString(claimRef, "uid")) || JsonText.GetString(claimRef, "uid") == claim.Uid);

    private static string? BindingMode(ResourceStore classes, JsonObject claim)
    {
        var className = JsonText.GetString(claim, "spec", "storageClassName");
        return string.IsNullOrEmpty(className) ? null : JsonText.GetString(classes.Objects.GetValueOrDefault(StoredObject.KeyOf(null, className))?.ToJsonObject(), "volumeBindingMode");
    }

    private static bool IsShutDown(JsonObject pod) => JsonText.GetString(pod, "status", "phase") is "Succeeded" or "Failed";

    /// <summary>The claims a pod uses: its persistentVolumeClaim volumes and the claims of its ephemeral volumes (<c>&lt;pod&gt;-&lt;volume&gt;</c>).</summary>
    private static List<string> ClaimNames(JsonObject pod)
    {
        var podName = JsonText.GetString(pod, "metadata", "name");
        var names = new List<string>();
        foreach (var volume in (pod["spec"]?["volumes"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (JsonText.GetString(volume, "persistentVolumeClaim", "claimName") is { Length: > 0 } claimName)
            {
                names.Add(claimName);
            }
            else if (volume["ephemeral"] is JsonObject)
            {
                names.Add(podName + "-" + JsonText.GetString(volume, "name"));
            }
        }

        return names;
    }
}
