using LocalVolume.Driver.Pools;

namespace LocalVolume.Driver.Volumes;

/// <summary>Turns a capacity range into the size a volume gets.</summary>
public static class SizeRules
{
    public const long DefaultBytes = 1L << 30;
    public const long Granularity = 1L << 20;

    /// <summary>
    /// The smallest size that satisfies the range and the layout: the minimum (or 1 GiB when none is asked), rounded up
    /// to whole MiB and to the filesystem's floor. Throws OUT_OF_RANGE when that exceeds the limit.
    /// </summary>
    public static long Choose(long requiredBytes, long limitBytes, long floorBytes, string field)
    {
        if (requiredBytes < 0 || limitBytes < 0)
        {
            throw new VolumeException(VolumeErrorKind.InvalidArgument, $"{field}: required_bytes and limit_bytes must not be negative");
        }
        if (limitBytes > 0 && requiredBytes > limitBytes)
        {
            throw new VolumeException(VolumeErrorKind.OutOfRange, $"{field}: required_bytes {requiredBytes} exceeds limit_bytes {limitBytes}");
        }
        var wanted = requiredBytes > 0 ? requiredBytes : Math.Min(DefaultBytes, limitBytes > 0 ? limitBytes : DefaultBytes);
        wanted = Math.Max(wanted, floorBytes);
        var rounded = (wanted + Granularity - 1) / Granularity * Granularity;
        if (limitBytes > 0 && rounded > limitBytes)
        {
            if (wanted <= limitBytes && wanted >= floorBytes)
            {
                return wanted;
            }
            throw new VolumeException(VolumeErrorKind.OutOfRange, $"{field}: limit_bytes {limitBytes} is below the smallest volume this pool can make ({Math.Max(floorBytes, Granularity)} bytes)");
        }
        return rounded;
    }

    public static long Floor(PoolDefinition pool, bool block, string fileSystem)
        => pool.Layout == PoolLayout.Image && !block ? FileSystems.MinimumBytes(fileSystem) : Granularity;
}
