using System.Text.Json.Serialization;
using Csi.Kubernetes.Models;
using Csi.Provisioner.Models;

namespace Csi.Provisioner;

/// <summary>Source-generated JSON for the provisioner's kinds (metadata mode, as the suite's core context).</summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Metadata,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(PersistentVolumeClaim))]
[JsonSerializable(typeof(ResourceList<PersistentVolumeClaim>))]
[JsonSerializable(typeof(PersistentVolume))]
[JsonSerializable(typeof(ResourceList<PersistentVolume>))]
[JsonSerializable(typeof(StorageClass))]
[JsonSerializable(typeof(ResourceList<StorageClass>))]
[JsonSerializable(typeof(CsiNode))]
[JsonSerializable(typeof(ResourceList<CsiNode>))]
[JsonSerializable(typeof(NodeResource))]
[JsonSerializable(typeof(ResourceList<NodeResource>))]
[JsonSerializable(typeof(VolumeAttachment))]
[JsonSerializable(typeof(ResourceList<VolumeAttachment>))]
public sealed partial class ProvisionerJsonContext : JsonSerializerContext
{
}
