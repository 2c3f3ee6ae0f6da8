namespace Csi.Provisioner.Capacity;

/// <summary>What GetCapacity answered for one key: available bytes and, when the driver said, the largest volume.</summary>
public sealed record CapacityValue(long AvailableBytes, long? MaximumVolumeBytes);
