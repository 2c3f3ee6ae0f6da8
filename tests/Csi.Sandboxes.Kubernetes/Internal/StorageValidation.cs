using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// The validation of PersistentVolumes, PersistentVolumeClaims and StorageClasses that kube-apiserver runs on create
/// and update (<c>pkg/apis/core/validation</c>, <c>pkg/apis/storage/validation</c>), with its field paths and
/// messages. Quantities arrive canonical (<see cref="FieldFormats"/>) and defaults are already applied.
/// </summary>
internal static class StorageValidation
{
    public const string PvcProtectionFinalizer = "kubernetes.io/pvc-protection";
    public const string PvProtectionFinalizer = "kubernetes.io/pv-protection";

    private static readonly string[] AccessModes = ["\"ReadOnlyMany\"", "\"ReadWriteMany\"", "\"ReadWriteOnce\"", "\"ReadWriteOncePod\""];
    private static readonly string[] VolumeModes = ["\"Block\"", "\"Filesystem\""];
    private static readonly string[] VolumeReclaimPolicies = ["\"Delete\"", "\"Recycle\"", "\"Retain\""];
    private static readonly string[] ClassReclaimPolicies = ["\"Delete\"", "\"Retain\""];
    private static readonly string[] BindingModes = ["\"Immediate\"", "\"WaitForFirstConsumer\""];

    // The volume sources of a PersistentVolumeSpec, in the order ValidatePersistentVolumeSpec checks them.
    private static readonly string[] VolumeSources =
    [
        "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "glusterfs", "flocker", "nfs", "rbd", "quobyte", "cephfs", "iscsi",
        "cinder", "fc", "flexVolume", "azureFile", "vsphereVolume", "photonPersistentDisk", "portworxVolume", "azureDisk", "scaleIO",
        "local", "storageos", "csi",
    ];

    // ------------------------------------------------------------------ PersistentVolume

    public static IEnumerable<FieldError> Volume(JsonObject pv)
    {
        var spec = pv["spec"] as JsonObject ?? [];
        foreach (var e in Modes(spec, "spec.accessModes", claim: false))
        {
            yield return e;
        }

        var capacity = spec["capacity"] as JsonObject;
        if (capacity is null || capacity.Count == 0)
        {
            yield return FieldError.Required("spec.capacity");
        }

        if (capacity is null || !capacity.ContainsKey("storage") || capacity.Count > 1)
        {
            var shown = capacity is null ? "core.ResourceList(nil)" : "core.ResourceList{" + string.Join(", ", capacity.Select(p => $"\"{p.Key}\":\"{JsonText.Scalar(p.Value)}\"")) + "}";
            yield return new FieldError("FieldValueNotSupported", "spec.capacity", $"Unsupported value: {shown}: supported values: \"storage\"");
        }

        foreach (var (name, value) in capacity ?? [])
        {
            var text = JsonText.Scalar(value);
            if (Quantity.Sign(text) <= 0)
            {
                yield return FieldError.Invalid($"spec.capacity[{name}]", JsonValue.Create(text), "must be greater than zero");
            }
        }

        if (JsonText.GetString(spec, "storageClassName") is { Length: > 0 } className && !Names.IsDnsSubdomain(className))
        {
            yield return FieldError.Invalid("spec.storageClassName", JsonValue.Create(className), Names.DnsSubdomainMessage);
        }

        if (JsonText.GetString(spec, "volumeMode") is { } mode && !VolumeModes.Contains($"\"{mode}\"", StringComparer.Ordinal))
        {
            yield return FieldError.NotSupported("spec.volumeMode", JsonValue.Create(mode), VolumeModes);
        }

        if (JsonText.GetString(spec, "persistentVolumeReclaimPolicy") is { Length: > 0 } policy && !VolumeReclaimPolicies.Contains($"\"{policy}\"", StringComparer.Ordinal))
        {
            yield return FieldError.NotSupported("spec.persistentVolumeReclaimPolicy", JsonValue.Create(policy), VolumeReclaimPolicies);
        }

        var sources = 0;
        foreach (var source in VolumeSources)
        {
            if (spec[source] is not JsonObject body)
            {
                continue;
            }

            if (sources++ > 0)
            {
                yield return FieldError.Forbidden($"spec.{source}", "may not specify more than 1 volume type");
                continue;
            }

            foreach (var e in Source(source, body, $"spec.{source}"))
            {
                yield return e;
            }
        }

        if (sources == 0)
        {
            yield return FieldError.Required("spec", "must specify a volume type");
        }

        if (spec["local"] is JsonObject && spec["nodeAffinity"] is null)
        {
            yield return FieldError.Required("spec.nodeAffinity", "Local volume requires node affinity");
        }
    }

    public static IEnumerable<FieldError> VolumeUpdate(JsonObject old, JsonObject updated)
    {
        foreach (var e in Volume(updated))
        {
            yield return e;
        }

        var oldSpec = old["spec"] as JsonObject ?? [];
        var newSpec = updated["spec"] as JsonObject ?? [];
        var changed = VolumeSources.Any(s => !JsonNode.DeepEquals(oldSpec[s], newSpec[s]));
        if (changed && oldSpec["csi"] is JsonObject oldCsi && newSpec["csi"] is JsonObject newCsi && oldCsi["controllerExpandSecretRef"] is null)
        {
            // A CSI volume may gain its controllerExpandSecretRef after creation.
            var withoutRef = (JsonObject)newCsi.DeepClone();
            withoutRef.Remove("controllerExpandSecretRef");
            changed = !JsonNode.DeepEquals(oldCsi, withoutRef) || VolumeSources.Any(s => s != "csi" && !JsonNode.DeepEquals(oldSpec[s], newSpec[s]));
        }

        if (changed)
        {
            yield return FieldError.Forbidden("spec.persistentvolumesource", "spec.persistentvolumesource is immutable after creation");
        }

        if (!JsonNode.DeepEquals(oldSpec["volumeMode"], newSpec["volumeMode"]))
        {
            yield return Immutable("volumeMode", newSpec["volumeMode"]);
        }

        if (oldSpec["nodeAffinity"] is not null && !JsonNode.DeepEquals(oldSpec["nodeAffinity"], newSpec["nodeAffinity"]))
        {
            yield return Immutable("nodeAffinity", newSpec["nodeAffinity"]);
        }
    }

    // ------------------------------------------------------------------ PersistentVolumeClaim

    public static IEnumerable<FieldError> Claim(JsonObject pvc)
    {
        var spec = pvc["spec"] as JsonObject ?? [];
        foreach (var e in Modes(spec, "spec.accessModes", claim: true))
        {
            yield return e;
        }

        var storage = JsonText.GetString(spec, "resources", "requests", "storage");
        if (storage is null)
        {
            yield return FieldError.Required("spec.resources[storage]");
        }
        else if (Quantity.Sign(storage) <= 0)
        {
            yield return FieldError.Invalid("spec.resources[storage]", JsonValue.Create(storage), "must be greater than zero");
        }

        if (JsonText.GetString(spec, "storageClassName") is { Length: > 0 } className && !Names.IsDnsSubdomain(className))
        {
            yield return FieldError.Invalid("spec.storageClassName", JsonValue.Create(className), Names.DnsSubdomainMessage);
        }

        if (JsonText.GetString(spec, "volumeMode") is { } mode && !VolumeModes.Contains($"\"{mode}\"", StringComparer.Ordinal))
        {
            yield return FieldError.NotSupported("spec.volumeMode", JsonValue.Create(mode), VolumeModes);
        }
    }

    public static IEnumerable<FieldError> ClaimUpdate(JsonObject old, JsonObject updated)
    {
        foreach (var e in Claim(updated))
        {
            yield return e;
        }

        const string StorageClassAnnotation = "volume.beta.kubernetes.io/storage-class";
        var oldClass = JsonText.GetString(old, "metadata", "annotations", StorageClassAnnotation);
        var newClass = JsonText.GetString(updated, "metadata", "annotations", StorageClassAnnotation);
        if (oldClass != newClass)
        {
            yield return FieldError.Forbidden($"metadata.annotations[{StorageClassAnnotation}]", "field is immutable");
        }

        var oldSpec = (JsonObject)(old["spec"] ?? new JsonObject()).DeepClone();
        var newSpec = (JsonObject)(updated["spec"] ?? new JsonObject()).DeepClone();

        // volumeName may be set once (the PV controller binds); a bound claim may change its storage request.
        if (string.IsNullOrEmpty(JsonText.GetString(oldSpec, "volumeName")))
        {
            oldSpec.Remove("volumeName");
            if (newSpec["volumeName"] is { } volumeName)
            {
                oldSpec["volumeName"] = volumeName.DeepClone();
            }
        }

        var bound = JsonText.GetString(updated, "status", "phase") == "Bound";
        if (bound && newSpec["resources"]?["requests"] is JsonObject requests)
        {
            requests["storage"] = oldSpec["resources"]?["requests"]?["storage"]?.DeepClone();
        }

        oldSpec.Remove("volumeAttributesClassName");
        newSpec.Remove("volumeAttributesClassName");
        if (!JsonNode.DeepEquals(oldSpec, newSpec))
        {
            yield return FieldError.Forbidden("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims");
        }

        var oldSize = JsonText.GetString(old, "spec", "resources", "requests", "storage");
        var newSize = JsonText.GetString(updated, "spec", "resources", "requests", "storage");
        var statusSize = JsonText.GetString(old, "status", "capacity", "storage");
        if (bound && oldSize is not null && newSize is not null && Quantity.Compare(newSize, oldSize) < 0
            && (statusSize is null || Quantity.Compare(newSize, statusSize) <= 0))
        {
            yield return FieldError.Forbidden("spec.resources.requests.storage", "field can not be less than status.capacity");
        }

        if (!JsonNode.DeepEquals(old["spec"]?["volumeMode"], updated["spec"]?["volumeMode"]))
        {
            yield return Immutable("volumeMode", updated["spec"]?["volumeMode"]);
        }
    }

    // ------------------------------------------------------------------ StorageClass

    public static IEnumerable<FieldError> Class(JsonObject sc)
    {
        var provisioner = JsonText.GetString(sc, "provisioner") ?? string.Empty;
        if (provisioner.Length == 0)
        {
            yield return FieldError.Required("provisioner");
        }
        else if (!Names.IsQualifiedName(provisioner.ToLowerInvariant()))
        {
            yield return FieldError.Invalid("provisioner", JsonValue.Create(provisioner),
                "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
        }

        if (sc["parameters"] is JsonObject parameters)
        {
            if (parameters.Count > 512)
            {
                yield return new FieldError("FieldValueTooLong", "parameters", "Too long: may not be more than 512 items");
            }

            if (parameters.Any(p => p.Key.Length == 0))
            {
                yield return FieldError.Invalid("parameters", JsonValue.Create(string.Empty), "field can not be empty.");
            }
        }

        if (JsonText.GetString(sc, "reclaimPolicy") is { Length: > 0 } policy && !ClassReclaimPolicies.Contains($"\"{policy}\"", StringComparer.Ordinal))
        {
            yield return FieldError.NotSupported("reclaimPolicy", JsonValue.Create(policy), ClassReclaimPolicies);
        }

        if (JsonText.GetString(sc, "volumeBindingMode") is { } binding && !BindingModes.Contains($"\"{binding}\"", StringComparer.Ordinal))
        {
            yield return FieldError.NotSupported("volumeBindingMode", JsonValue.Create(binding), BindingModes);
        }
    }

    public static IEnumerable<FieldError> ClassUpdate(JsonObject old, JsonObject updated)
    {
        foreach (var e in Class(updated))
        {
            yield return e;
        }

        if (!JsonNode.DeepEquals(NonEmpty(old["parameters"]), NonEmpty(updated["parameters"])))
        {
            yield return FieldError.Forbidden("parameters", "updates to parameters are forbidden.");
        }

        if (JsonText.GetString(old, "provisioner") != JsonText.GetString(updated, "provisioner"))
        {
            yield return FieldError.Forbidden("provisioner", "updates to provisioner are forbidden.");
        }

        if (JsonText.GetString(old, "reclaimPolicy") != JsonText.GetString(updated, "reclaimPolicy"))
        {
            yield return FieldError.Forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden.");
        }

        if (JsonText.GetString(old, "volumeBindingMode") != JsonText.GetString(updated, "volumeBindingMode"))
        {
            yield return Immutable("volumeBindingMode", updated["volumeBindingMode"]);
        }
    }

    // ------------------------------------------------------------------ shared

    private static IEnumerable<FieldError> Modes(JsonObject spec, string field, bool claim)
    {
        var modes = JsonText.Strings(spec["accessModes"]);
        if (modes.Count == 0)
        {
            yield return FieldError.Required(field, claim ? "at least 1 access mode is required" : null);
        }

        foreach (var mode in modes.Where(m => !AccessModes.Contains($"\"{m}\"", StringComparer.Ordinal)))
        {
            yield return FieldError.NotSupported(field, JsonValue.Create(mode), AccessModes);
        }

        if (modes.Contains("ReadWriteOncePod") && modes.Any(m => m != "ReadWriteOncePod" && AccessModes.Contains($"\"{m}\"", StringComparer.Ordinal)))
        {
            yield return FieldError.Forbidden(field, "may not use ReadWriteOncePod with other access modes");
        }
    }

    private static IEnumerable<FieldError> Source(string source, JsonObject body, string path)
    {
        switch (source)
        {
            case "csi":
                var driver = JsonText.GetString(body, "driver") ?? string.Empty;
                if (driver.Length == 0)
                {
                    yield return FieldError.Required(path + ".driver");
                }
                else if (driver.Length > 63)
                {
                    yield return new FieldError("FieldValueTooLong", path + ".driver", "Too long: may not be more than 63 bytes");
                }
                else if (!Names.IsDnsSubdomain(driver.ToLowerInvariant()))
                {
                    yield return FieldError.Invalid(path + ".driver", JsonValue.Create(driver), Names.DnsSubdomainMessage);
                }

                if (string.IsNullOrEmpty(JsonText.GetString(body, "volumeHandle")))
                {
                    yield return FieldError.Required(path + ".volumeHandle");
                }

                break;
            case "hostPath" or "local":
                if (string.IsNullOrEmpty(JsonText.GetString(body, "path")))
                {
                    yield return FieldError.Required(path + ".path");
                }

                break;
            case "nfs":
                if (string.IsNullOrEmpty(JsonText.GetString(body, "server")))
                {
                    yield return FieldError.Required(path + ".server");
                }

                var nfsPath = JsonText.GetString(body, "path");
                if (string.IsNullOrEmpty(nfsPath))
                {
                    yield return FieldError.Required(path + ".path");
                }
                else if (!nfsPath.StartsWith('/'))
                {
                    yield return FieldError.Invalid(path + ".path", JsonValue.Create(nfsPath), "must be an absolute path");
                }

                break;
        }
    }

    private static JsonNode? NonEmpty(JsonNode? map) => map is JsonObject { Count: 0 } ? null : map;

    private static FieldError Immutable(string field, JsonNode? value) => FieldError.Invalid(field, value?.DeepClone(), "field is immutable");
}
