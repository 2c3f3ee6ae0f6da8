using System.Text;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// The built-in resources the sandbox serves, with the parts of their registry strategies that tests can observe:
/// selectable fields, defaults, status handling on create, delete answers, and the events.k8s.io view of core events.
/// </summary>
internal static class BuiltInResources
{
    public const string CrdGroup = "apiextensions.k8s.io";

    private static readonly (string Core, string Events)[] EventFieldNames =
    [
        ("involvedObject", "regarding"),
        ("message", "note"),
        ("reportingComponent", "reportingController"),
        ("source", "deprecatedSource"),
        ("firstTimestamp", "deprecatedFirstTimestamp"),
        ("lastTimestamp", "deprecatedLastTimestamp"),
        ("count", "deprecatedCount"),
    ];

    // Quantities and times by kind (the fields whose Go types are resource.Quantity, metav1.Time, metav1.MicroTime).
    private static readonly string[] ContainerLists = ["containers", "initContainers", "ephemeralContainers"];
    private static readonly string[] Conditions = ["status.conditions[].lastProbeTime", "status.conditions[].lastTransitionTime", "status.conditions[].lastHeartbeatTime"];
    private static readonly FieldFormats ConditionFormats = new() { Times = Conditions };
    private static readonly FieldFormats PodFormats = new() { Quantities = PodSpecQuantities("spec"), Times = [.. Conditions, "status.startTime"] };
    private static readonly FieldFormats NodeFormats = new() { Quantities = ["status.capacity.*", "status.allocatable.*"], Times = Conditions };
    private static readonly FieldFormats VolumeFormats = new() { Quantities = ["spec.capacity.*"], Times = ["status.lastPhaseTransitionTime"] };
    private static readonly FieldFormats ClaimFormats = new()
    {
        Quantities = ["spec.resources.requests.*", "spec.resources.limits.*", "status.capacity.*", "status.allocatedResources.*"],
        Times = Conditions,
    };

    private static readonly FieldFormats EventFormats = new() { Times = ["firstTimestamp", "lastTimestamp"], MicroTimes = ["eventTime", "series.lastObservedTime"] };
    private static readonly FieldFormats CapacityFormats = new() { Quantities = ["capacity", "maximumVolumeSize"] };
    private static readonly FieldFormats LeaseFormats = new() { MicroTimes = ["spec.acquireTime", "spec.renewTime"] };

    private static readonly FieldFormats WorkloadFormats = new()
    {
        Quantities = [.. PodSpecQuantities("spec.template.spec"), "spec.volumeClaimTemplates[].spec.resources.requests.*", "spec.volumeClaimTemplates[].spec.resources.limits.*"],
        Times = Conditions,
    };

    private static readonly (string Resource, string Kind, string Singular, string ShortName, Action<JsonObject> Defaulter)[] Workloads =
    [
        ("deployments", "Deployment", "deployment", "deploy", DefaultDeployment),
        ("replicasets", "ReplicaSet", "replicaset", "rs", o => JsonText.SetDefault(JsonText.Child(o, "spec"), "replicas", 1)),
        ("statefulsets", "StatefulSet", "statefulset", "sts", DefaultStatefulSet),
        ("daemonsets", "DaemonSet", "daemonset", "ds", DefaultDaemonSet),
    ];

    /// <summary>The quantity fields of a pod spec at <paramref name="spec"/> (<c>spec</c>, <c>spec.template.spec</c>).</summary>
    public static string[] PodSpecQuantities(string spec) =>
    [
        .. ContainerLists.SelectMany(c => new[] { $"{spec}.{c}[].resources.requests.*", $"{spec}.{c}[].resources.limits.*" }),
        $"{spec}.overhead.*",
        $"{spec}.resources.requests.*",
        $"{spec}.resources.limits.*",
        $"{spec}.volumes[].emptyDir.sizeLimit",
    ];

    public static void Register(ResourceRegistry registry, int windowSize)
    {
        // ---------------------------------------------------------------- core/v1
        var pods = Store("", "pods", "Pod", true, windowSize, returnDeleted: true, tracksGeneration: true, defaulter: DefaultPod, prepareForCreate: PreparePodForCreate, formats: PodFormats,
            fields: o => Fields(o, true,
                ("spec.nodeName", Path(o, "spec", "nodeName")),
                ("spec.restartPolicy", Path(o, "spec", "restartPolicy")),
                ("spec.schedulerName", Path(o, "spec", "schedulerName")),
                ("spec.serviceAccountName", Path(o, "spec", "serviceAccountName")),
                ("spec.hostNetwork", JsonText.Scalar((o["spec"] as JsonObject)?["hostNetwork"], "false")),
                ("status.phase", Path(o, "status", "phase")),
                ("status.podIP", Path(o, "status", "podIP")),
                ("status.nominatedNodeName", Path(o, "status", "nominatedNodeName"))));
        Add(registry, pods, "v1", "pod", ["po"], hasStatus: true, categories: ["all"]);

        var secrets = Store("", "secrets", "Secret", true, windowSize, defaulter: DefaultSecret, validateUpdate: ImmutableData,
            fields: o => Fields(o, true, ("type", Path(o, "type"))));
        Add(registry, secrets, "v1", "secret", []);

        var configMaps = Store("", "configmaps", "ConfigMap", true, windowSize, validateUpdate: ImmutableData, fields: o => Fields(o, true));
        Add(registry, configMaps, "v1", "configmap", ["cm"]);

        var serviceAccounts = Store("", "serviceaccounts", "ServiceAccount", true, windowSize, returnDeleted: true, fields: o => Fields(o, true));
        Add(registry, serviceAccounts, "v1", "serviceaccount", ["sa"]);

        var nodes = Store("", "nodes", "Node", false, windowSize, formats: NodeFormats,
            fields: o => Fields(o, false, ("spec.unschedulable", JsonText.Scalar((o["spec"] as JsonObject)?["unschedulable"], "false"))));
        Add(registry, nodes, "v1", "node", ["no"], hasStatus: true);

        var namespaces = Store("", "namespaces", "Namespace", false, windowSize, nameIsDnsLabel: true, defaulter: DefaultNamespace, formats: ConditionFormats,
            prepareForCreate: o => o["status"] = new JsonObject { ["phase"] = "Active" },
            fields: o => Fields(o, false, ("status.phase", Path(o, "status", "phase")), ("name", Path(o, "metadata", "name"))));
        Add(registry, namespaces, "v1", "namespace", ["ns"], hasStatus: true,
            verbs: ["create", "delete", "get", "list", "patch", "update", "watch"]);

        var pvs = Store("", "persistentvolumes", "PersistentVolume", false, windowSize, returnDeleted: true, defaulter: DefaultPersistentVolume, formats: VolumeFormats,
            validateCreate: StorageValidation.Volume, validateUpdate: StorageValidation.VolumeUpdate,
            prepareForCreate: o => PrepareStorageObject(o, StorageValidation.PvProtectionFinalizer), fields: o => Fields(o, false));
        Add(registry, pvs, "v1", "persistentvolume", ["pv"], hasStatus: true);

        var pvcs = Store("", "persistentvolumeclaims", "PersistentVolumeClaim", true, windowSize, returnDeleted: true, defaulter: DefaultClaim, formats: ClaimFormats,
            validateCreate: StorageValidation.Claim, validateUpdate: StorageValidation.ClaimUpdate,
            prepareForCreate: o => PrepareStorageObject(o, StorageValidation.PvcProtectionFinalizer),
            fields: o => Fields(o, true, ("name", Path(o, "metadata", "name"))));
        Add(registry, pvcs, "v1", "persistentvolumeclaim", ["pvc"], hasStatus: true);

        var events = Store("", "events", "Event", true, windowSize, allowCreateOnUpdate: true, formats: EventFormats, fields: o => Fields(o, true,
            ("involvedObject.kind", Path(o, "involvedObject", "kind")),
            ("involvedObject.namespace", Path(o, "involvedObject", "namespace")),
            ("involvedObject.name", Path(o, "involvedObject", "name")),
            ("involvedObject.uid", Path(o, "involvedObject", "uid")),
            ("involvedObject.apiVersion", Path(o, "involvedObject", "apiVersion")),
            ("involvedObject.resourceVersion", Path(o, "involvedObject", "resourceVersion")),
            ("involvedObject.fieldPath", Path(o, "involvedObject", "fieldPath")),
            ("reason", Path(o, "reason")),
            ("reportingComponent", Path(o, "reportingComponent")),
            ("source", Path(o, "source", "component")),
            ("type", Path(o, "type"))));
        Add(registry, events, "v1", "event", ["ev"]);

        // ---------------------------------------------------------------- events.k8s.io/v1: a view of the core events
        var eventFields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["metadata.name"] = "metadata.name",
            ["metadata.namespace"] = "metadata.namespace",
            ["reason"] = "reason",
            ["type"] = "type",
            ["reportingController"] = "reportingComponent",
            ["source"] = "source",
        };
        foreach (var f in new[] { "kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath" })
        {
            eventFields["regarding." + f] = "involvedObject." + f;
        }

        registry.Add(new ResourceType
        {
            Group = "events.k8s.io",
            Version = "v1",
            Resource = "events",
            Kind = "Event",
            Singular = "event",
            ShortNames = ["ev"],
            Store = events,
            StorageApiVersion = "v1",
            SelectableFields = eventFields,
            ToExternalForm = o => RenameFields(o, toEvents: true),
            ToInternalForm = o => RenameFields(o, toEvents: false),
        });

        // ---------------------------------------------------------------- storage.k8s.io/v1
        var storageClasses = Store("storage.k8s.io", "storageclasses", "StorageClass", false, windowSize, returnDeleted: true, defaulter: DefaultStorageClass,
            validateCreate: StorageValidation.Class, validateUpdate: StorageValidation.ClassUpdate, fields: o => Fields(o, false));
        Add(registry, storageClasses, "v1", "storageclass", ["sc"]);

        var csiNodes = Store("storage.k8s.io", "csinodes", "CSINode", false, windowSize, returnDeleted: true, fields: o => Fields(o, false));
        Add(registry, csiNodes, "v1", "csinode", []);

        var csiDrivers = Store("storage.k8s.io", "csidrivers", "CSIDriver", false, windowSize, returnDeleted: true, defaulter: DefaultCsiDriver, fields: o => Fields(o, false));
        Add(registry, csiDrivers, "v1", "csidriver", []);

        var capacities = Store("storage.k8s.io", "csistoragecapacities", "CSIStorageCapacity", true, windowSize, formats: CapacityFormats, fields: o => Fields(o, true));
        Add(registry, capacities, "v1", "csistoragecapacity", []);

        var attachments = Store("storage.k8s.io", "volumeattachments", "VolumeAttachment", false, windowSize, returnDeleted: true,
            prepareForCreate: o => o["status"] = new JsonObject { ["attached"] = false },
            validateCreate: VolumeAttachment, validateUpdate: VolumeAttachmentUpdate, fields: o => Fields(o, false));
        Add(registry, attachments, "v1", "volumeattachment", [], hasStatus: true);

        // ---------------------------------------------------------------- apps/v1: storage and CRUD, no controllers
        foreach (var (resource, kind, singular, shortName, defaulter) in Workloads)
        {
            var workloads = Store("apps", resource, kind, true, windowSize, tracksGeneration: true, defaulter: defaulter, formats: WorkloadFormats,
                prepareForCreate: o => o["status"] = new JsonObject(), fields: o => Fields(o, true));
            Add(registry, workloads, "v1", singular, [shortName], hasStatus: true, categories: ["all"]);
        }

        // ---------------------------------------------------------------- coordination.k8s.io/v1
        var leases = Store("coordination.k8s.io", "leases", "Lease", true, windowSize, formats: LeaseFormats, fields: o => Fields(o, true));
        Add(registry, leases, "v1", "lease", []);

        // ---------------------------------------------------------------- apiextensions.k8s.io/v1
        var crds = Store(CrdGroup, "customresourcedefinitions", "CustomResourceDefinition", false, windowSize, tracksGeneration: true, defaulter: CustomResources.DefaultDefinition, fields: o => Fields(o, false));
        Add(registry, crds, "v1", "customresourcedefinition", ["crd", "crds"], hasStatus: true, categories: ["api-extensions"]);
    }

    /// <summary>metadata.name, metadata.namespace (namespaced only), plus kind-specific fields.</summary>
    public static IReadOnlyDictionary<string, string> Fields(JsonObject o, bool namespaced, params (string Name, string Value)[] specific)
    {
        var fields = new Dictionary<string, string>(specific.Length + 2, StringComparer.Ordinal)
        {
            ["metadata.name"] = Path(o, "metadata", "name"),
        };
        if (namespaced)
        {
            fields["metadata.namespace"] = Path(o, "metadata", "namespace");
        }

        foreach (var (name, value) in specific)
        {
            fields[name] = value;
        }

        return fields;
    }

    public static string Path(JsonObject o, params string[] path) => JsonText.GetString(o, path) ?? string.Empty;

    private static ResourceStore Store(
        string group,
        string resource,
        string kind,
        bool namespaced,
        int windowSize,
        Func<JsonObject, IReadOnlyDictionary<string, string>> fields,
        bool returnDeleted = false,
        bool allowCreateOnUpdate = false,
        bool nameIsDnsLabel = false,
        bool tracksGeneration = false,
        Action<JsonObject>? defaulter = null,
        Action<JsonObject>? prepareForCreate = null,
        Func<JsonObject, JsonObject, IEnumerable<FieldError>>? validateUpdate = null,
        FieldFormats? formats = null,
        Func<JsonObject, IEnumerable<FieldError>>? validateCreate = null) =>
        new(group, resource, kind, namespaced, windowSize)
        {
            Formats = formats,
            ReturnDeletedObject = returnDeleted,
            AllowCreateOnUpdate = allowCreateOnUpdate,
            NameIsDnsLabel = nameIsDnsLabel,
            TracksGeneration = tracksGeneration,
            Defaulter = defaulter,
            PrepareForCreate = prepareForCreate,
            ValidateUpdate = validateUpdate,
            ValidateCreate = validateCreate,
            FieldExtractor = fields,
        };

    private static void Add(ResourceRegistry registry, ResourceStore store, string version, string singular, string[] shortNames, bool hasStatus = false, string[]? categories = null, string[]? verbs = null)
    {
        var fieldNames = store.FieldExtractor(new JsonObject { ["metadata"] = new JsonObject() }).Keys;
        registry.Add(new ResourceType
        {
            Group = store.Group,
            Version = version,
            Resource = store.Resource,
            Kind = store.Kind,
            Singular = singular,
            ShortNames = shortNames,
            Categories = categories ?? [],
            Verbs = verbs ?? ResourceType.DefaultVerbs,
            HasStatus = hasStatus,
            Store = store,
            StorageApiVersion = store.Group.Length == 0 ? version : store.Group + "/" + version,
            SelectableFields = AllowedFields(fieldNames),
        });
    }

    private static Dictionary<string, string> AllowedFields(IEnumerable<string> names)
    {
        var map = names.ToDictionary(n => n, n => n, StringComparer.Ordinal);

        // The field label conversion accepts metadata.namespace for every kind; cluster-scoped objects have it empty.
        map.TryAdd("metadata.namespace", "metadata.namespace");
        return map;
    }

    private static JsonObject RenameFields(JsonObject o, bool toEvents)
    {
        var result = new JsonObject();
        foreach (var (key, value) in o.ToList())
        {
            o.Remove(key);
            var renamed = key;
            foreach (var (core, events) in EventFieldNames)
            {
                if (toEvents && key == core)
                {
                    renamed = events;
                }
                else if (!toEvents && key == events)
                {
                    renamed = core;
                }
            }

            result[renamed] = value;
        }

        return result;
    }

    // ------------------------------------------------------------------ defaults

    private static void DefaultPod(JsonObject pod)
    {
        var spec = JsonText.Child(pod, "spec");
        JsonText.SetDefault(spec, "restartPolicy", "Always");
        JsonText.SetDefault(spec, "dnsPolicy", "ClusterFirst");
        JsonText.SetDefault(spec, "schedulerName", "default-scheduler");
        JsonText.SetDefault(spec, "terminationGracePeriodSeconds", 30);
        JsonText.SetDefault(spec, "serviceAccountName", JsonText.GetString(spec, "serviceAccount") ?? "default");
        JsonText.SetDefault(spec, "serviceAccount", JsonText.GetString(spec, "serviceAccountName"));
        foreach (var list in new[] { "containers", "initContainers" })
        {
            if (spec[list] is not JsonArray containers)
            {
                continue;
            }

            foreach (var c in containers.OfType<JsonObject>())
            {
                JsonText.SetDefault(c, "terminationMessagePath", "/dev/termination-log");
                JsonText.SetDefault(c, "terminationMessagePolicy", "File");
                var image = JsonText.GetString(c, "image") ?? string.Empty;
                var lastSegment = image[(image.LastIndexOf('/') + 1)..];
                var pullAlways = !lastSegment.Contains(':', StringComparison.Ordinal) || lastSegment.EndsWith(":latest", StringComparison.Ordinal);
                JsonText.SetDefault(c, "imagePullPolicy", image.Contains('@', StringComparison.Ordinal) || !pullAlways ? "IfNotPresent" : "Always");
            }
        }
    }

    private static void PreparePodForCreate(JsonObject pod)
    {
        pod["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = QosClass(pod) };
    }

    private static string QosClass(JsonObject pod)
    {
        var containers = (pod["spec"] as JsonObject)?["containers"] as JsonArray;
        var any = false;
        var guaranteed = true;
        foreach (var c in containers?.OfType<JsonObject>() ?? [])
        {
            var resources = c["resources"] as JsonObject;
            var requests = resources?["requests"] as JsonObject;
            var limits = resources?["limits"] as JsonObject;
            if (requests is { Count: > 0 } || limits is { Count: > 0 })
            {
                any = true;
            }

            foreach (var r in new[] { "cpu", "memory" })
            {
                var limit = limits?[r];
                var request = requests?[r] ?? limit;
                if (limit is null || !JsonNode.DeepEquals(limit, request))
                {
                    guaranteed = false;
                }
            }
        }

        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }

    private static void DefaultSecret(JsonObject secret)
    {
        JsonText.SetDefault(secret, "type", "Opaque");
        if (secret["stringData"] is JsonObject stringData)
        {
            var data = JsonText.Child(secret, "data");
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonText.Scalar(value)));
            }

            secret.Remove("stringData");
        }
    }

    private static IEnumerable<FieldError> ImmutableData(JsonObject old, JsonObject updated)
    {
        if (old["immutable"] is JsonValue v && v.TryGetValue<bool>(out var immutable) && immutable)
        {
            foreach (var field in new[] { "data", "binaryData" })
            {
                if (!JsonNode.DeepEquals(old[field], updated[field]))
                {
                    yield return FieldError.Forbidden(field, "field is immutable when `immutable` is set");
                }
            }

            if (!JsonNode.DeepEquals(old["immutable"], updated["immutable"]))
            {
                yield return FieldError.Forbidden("immutable", "field is immutable when `immutable` is set");
            }
        }
    }

    private static void DefaultNamespace(JsonObject ns)
    {
        var spec = JsonText.Child(ns, "spec");
        JsonText.SetDefault(spec, "finalizers", new JsonArray("kubernetes"));
        var name = JsonText.GetString(ns, "metadata", "name");
        if (name is not null)
        {
            JsonText.Child(JsonText.Metadata(ns), "labels")["kubernetes.io/metadata.name"] = name;
        }
    }

    /// <summary>
    /// Status starts Pending; StorageObjectInUseProtection admission (on by default) adds the protection finalizer
    /// so the object outlives its users.
    /// </summary>
    private static void PrepareStorageObject(JsonObject obj, string finalizer)
    {
        obj["status"] = new JsonObject { ["phase"] = "Pending" };
        var meta = JsonText.Metadata(obj);
        var finalizers = JsonText.Strings(meta["finalizers"]);
        if (!finalizers.Contains(finalizer))
        {
            finalizers.Add(finalizer);
            meta["finalizers"] = JsonText.ToArray(finalizers);
        }
    }

    private static void DefaultPersistentVolume(JsonObject pv)
    {
        var spec = JsonText.Child(pv, "spec");
        JsonText.SetDefault(spec, "persistentVolumeReclaimPolicy", "Retain");
        JsonText.SetDefault(spec, "volumeMode", "Filesystem");
    }

    private static void DefaultClaim(JsonObject pvc)
    {
        var spec = JsonText.Child(pvc, "spec");
        JsonText.SetDefault(spec, "volumeMode", "Filesystem");
    }

    private static void DefaultStorageClass(JsonObject sc)
    {
        JsonText.SetDefault(sc, "reclaimPolicy", "Delete");
        JsonText.SetDefault(sc, "volumeBindingMode", "Immediate");
    }

    private static void DefaultDeployment(JsonObject deployment)
    {
        var spec = JsonText.Child(deployment, "spec");
        JsonText.SetDefault(spec, "replicas", 1);
        JsonText.SetDefault(spec, "revisionHistoryLimit", 10);
        JsonText.SetDefault(spec, "progressDeadlineSeconds", 600);
        JsonText.SetDefault(spec, "strategy", new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = "25%", ["maxSurge"] = "25%" } });
    }

    private static void DefaultStatefulSet(JsonObject statefulSet)
    {
        var spec = JsonText.Child(statefulSet, "spec");
        JsonText.SetDefault(spec, "replicas", 1);
        JsonText.SetDefault(spec, "revisionHistoryLimit", 10);
        JsonText.SetDefault(spec, "podManagementPolicy", "OrderedReady");
        JsonText.SetDefault(spec, "updateStrategy", new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 0 } });
        JsonText.SetDefault(spec, "persistentVolumeClaimRetentionPolicy", new JsonObject { ["whenDeleted"] = "Retain", ["whenScaled"] = "Retain" });
    }

    private static void DefaultDaemonSet(JsonObject daemonSet)
    {
        var spec = JsonText.Child(daemonSet, "spec");
        JsonText.SetDefault(spec, "revisionHistoryLimit", 10);
        JsonText.SetDefault(spec, "updateStrategy", new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 1, ["maxSurge"] = 0 } });
    }

    /// <summary><c>ValidateVolumeAttachment</c>: attacher, exactly one source, node name.</summary>
    private static IEnumerable<FieldError> VolumeAttachment(JsonObject attachment)
    {
        var spec = attachment["spec"] as JsonObject ?? [];
        if (string.IsNullOrEmpty(JsonText.GetString(spec, "attacher")))
        {
            yield return FieldError.Required("spec.attacher");
        }

        var source = spec["source"] as JsonObject ?? [];
        var pvName = source["persistentVolumeName"];
        var inline = source["inlineVolumeSpec"];
        if (pvName is null && inline is null)
        {
            yield return FieldError.Required("spec.source", "must specify exactly one of inlineVolumeSpec and persistentVolumeName");
        }
        else if (pvName is not null && inline is not null)
        {
            yield return FieldError.Forbidden("spec.source", "must specify exactly one of inlineVolumeSpec and persistentVolumeName");
        }
        else if (pvName is not null && JsonText.Scalar(pvName).Length == 0)
        {
            yield return FieldError.Required("spec.source.persistentVolumeName", "must specify non empty persistentVolumeName");
        }

        var node = JsonText.GetString(spec, "nodeName") ?? string.Empty;
        if (!Names.IsDnsSubdomain(node))
        {
            yield return FieldError.Invalid("spec.nodeName", JsonValue.Create(node), Names.DnsSubdomainMessage);
        }
    }

    private static IEnumerable<FieldError> VolumeAttachmentUpdate(JsonObject old, JsonObject updated)
    {
        foreach (var e in VolumeAttachment(updated))
        {
            yield return e;
        }

        if (!JsonNode.DeepEquals(old["spec"], updated["spec"]))
        {
            yield return new FieldError("FieldValueInvalid", "spec", "Invalid value: " + updated["spec"]?.ToJsonString() + ": field is immutable");
        }
    }

    private static void DefaultCsiDriver(JsonObject driver)
    {
        var spec = JsonText.Child(driver, "spec");
        JsonText.SetDefault(spec, "attachRequired", true);
        JsonText.SetDefault(spec, "podInfoOnMount", false);
        JsonText.SetDefault(spec, "requiresRepublish", false);
        JsonText.SetDefault(spec, "storageCapacity", false);
        JsonText.SetDefault(spec, "seLinuxMount", false);
        JsonText.SetDefault(spec, "fsGroupPolicy", "ReadWriteOnceWithFSType");
        JsonText.SetDefault(spec, "volumeLifecycleModes", new JsonArray("Persistent"));
    }
}
