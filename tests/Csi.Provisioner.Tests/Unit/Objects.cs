using Csi.Kubernetes.Models;
using Csi.Provisioner.Models;
using Csi.Provisioner.Provisioning;

namespace Csi.Provisioner.Tests.Unit;

/// <summary>Claims, classes and nodes for the unit tests.</summary>
internal static class Objects
{
    public const string Driver = "local.csi.csi-suite.dev";
    public const string TopologyKey = "topology.local.csi.csi-suite.dev/node";

    public static PersistentVolumeClaim Claim(string size = "1Gi", string? limit = null, string volumeMode = "Filesystem", Dictionary<string, string>? annotations = null, params string[] accessModes)
        => new()
        {
            Metadata = new ObjectMeta { Name = "data", Namespace = "apps", Uid = "11111111-2222-3333-4444-555555555555", ResourceVersion = "42", Annotations = annotations ?? [] },
            Spec = new ClaimSpec
            {
                AccessModes = accessModes.Length == 0 ? ["ReadWriteOnce"] : [.. accessModes],
                Resources = new ResourceRequirements
                {
                    Requests = new() { ["storage"] = size },
                    Limits = limit is null ? null : new() { ["storage"] = limit },
                },
                StorageClassName = "fast",
                VolumeMode = volumeMode,
            },
        };

    public static StorageClass Class(Dictionary<string, string>? parameters = null, string? reclaimPolicy = null, List<string>? mountOptions = null, List<TopologySelectorTerm>? allowed = null)
        => new()
        {
            Metadata = new ObjectMeta { Name = "fast", Uid = "class-uid" },
            Provisioner = Driver,
            Parameters = parameters,
            ReclaimPolicy = reclaimPolicy,
            MountOptions = mountOptions,
            AllowedTopologies = allowed,
        };

    public static VolumeRequestContext Context(PersistentVolumeClaim? claim = null, StorageClass? storageClass = null)
    {
        storageClass ??= Class();
        return new VolumeRequestContext(Driver, "pvc-11111111-2222-3333-4444-555555555555", claim ?? Claim(), storageClass, ClassParameters.Parse("fast", storageClass.Parameters));
    }

    public static CsiNode CsiNode(string name) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new CsiNodeSpec { Drivers = [new CsiNodeDriver { Name = Driver, NodeId = name, TopologyKeys = [TopologyKey] }] },
    };

    public static NodeResource Node(string name) => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = new() { [TopologyKey] = name } },
    };
}
