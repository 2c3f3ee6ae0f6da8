using System.Globalization;
using LocalVolume.Driver.Pools;
using LocalVolume.Driver.Tools;
using LocalVolume.Driver.Volumes;

namespace LocalVolume.Driver.Layouts;

/// <summary>
/// btrfs: a subvolume per volume with a qgroup limit on what it references; snapshots and clones are subvolume
/// snapshots (copy-on-write, instant); expansion raises the limit.
/// </summary>
public sealed class SubvolumeLayout : IPoolLayout
{
    private const string Btrfs = "btrfs";
    private const long BtrfsMagic = 0x9123683E;

    private readonly PoolDefinition _pool;
    private readonly string _volumes;
    private readonly string _snapshots;

    public SubvolumeLayout(PoolDefinition pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _pool = pool;
        _volumes = Path.Combine(pool.Directory, "volumes");
        _snapshots = Path.Combine(pool.Directory, "snapshots");
    }

    public bool NeedsNodeExpansion => false;

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_pool.Directory))
        {
            throw new StorageToolException($"pool {_pool.Name}: directory {_pool.Directory} does not exist");
        }
        if (FileSystemStats.Read(_pool.Directory).Type != BtrfsMagic)
        {
            throw new StorageToolException($"pool {_pool.Name}: {_pool.Directory} is not on btrfs; the subvolume layout needs a btrfs filesystem");
        }
        Directory.CreateDirectory(_volumes);
        Directory.CreateDirectory(_snapshots);
        var show = await ExternalCommand.RunAsync(Btrfs, ["qgroup", "show", _pool.Directory], cancellationToken).ConfigureAwait(false);
        if (show.Succeeded)
        {
            return;
        }
        // Simple quotas (kernel 6.7+, btrfs-progs 6.7+) account without the cost of full qgroups; older tools lack the flag.
        var simple = await ExternalCommand.RunAsync(Btrfs, ["quota", "enable", "--simple", _pool.Directory], cancellationToken).ConfigureAwait(false);
        if (!simple.Succeeded)
        {
            await ExternalCommand.RunCheckedAsync(Btrfs, ["quota", "enable", _pool.Directory], cancellationToken).ConfigureAwait(false);
        }
    }

    public string VolumePath(VolumeRecord volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return VolumeDirectory(volume.Id);
    }

    public async Task CreateVolumeAsync(VolumeRecord volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var path = VolumeDirectory(volume.Id);
        if (!Directory.Exists(path))
        {
            await ExternalCommand.RunCheckedAsync(Btrfs, ["subvolume", "create", path], cancellationToken).ConfigureAwait(false);
        }
        await LimitAsync(path, volume.CapacityBytes, cancellationToken).ConfigureAwait(false);
    }

    public Task CreateVolumeFromSnapshotAsync(VolumeRecord volume, SnapshotRecord source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(source);
        return SnapshotIntoAsync(SnapshotDirectory(source.Id), VolumeDirectory(volume.Id), volume.CapacityBytes, readOnly: false, cancellationToken);
    }

    public Task CloneVolumeAsync(VolumeRecord volume, VolumeRecord source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(source);
        return SnapshotIntoAsync(VolumeDirectory(source.Id), VolumeDirectory(volume.Id), volume.CapacityBytes, readOnly: false, cancellationToken);
    }

    public Task DeleteVolumeAsync(string volumeId, CancellationToken cancellationToken)
        => DeleteSubvolumeAsync(VolumeDirectory(volumeId), cancellationToken);

    public Task ExpandVolumeAsync(VolumeRecord volume, long newCapacityBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return LimitAsync(VolumeDirectory(volume.Id), newCapacityBytes, cancellationToken);
    }

    public Task CreateSnapshotAsync(SnapshotRecord snapshot, VolumeRecord source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(source);
        return SnapshotIntoAsync(VolumeDirectory(source.Id), SnapshotDirectory(snapshot.Id), null, readOnly: true, cancellationToken);
    }

    public Task DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken)
        => DeleteSubvolumeAsync(SnapshotDirectory(snapshotId), cancellationToken);

    public IReadOnlyList<string> StoredIds()
        => [.. Names(_volumes), .. Names(_snapshots)];

    /// <summary>The qgroup's referenced bytes and its limit, as <c>btrfs qgroup show</c> reports them.</summary>
    public static async Task<(long Used, long? Limit)> ReadUsageAsync(string subvolume, CancellationToken cancellationToken)
    {
        var output = await ExternalCommand.RunCheckedAsync(Btrfs, ["qgroup", "show", "-re", "--raw", "-f", subvolume], cancellationToken).ConfigureAwait(false);
        foreach (var line in output.Split('\n'))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length >= 4 && columns[0].StartsWith("0/", StringComparison.Ordinal))
            {
                var used = long.Parse(columns[1], CultureInfo.InvariantCulture);
                long? limit = long.TryParse(columns[3], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : null;
                return (used, limit);
            }
        }
        throw new StorageToolException($"btrfs qgroup show printed no qgroup for {subvolume}");
    }

    private static IEnumerable<string> Names(string directory)
        => Directory.Exists(directory) ? Directory.EnumerateDirectories(directory).Select(Path.GetFileName).OfType<string>() : [];

    private static async Task SnapshotIntoAsync(string source, string target, long? limit, bool readOnly, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(target))
        {
            List<string> arguments = ["subvolume", "snapshot"];
            if (readOnly)
            {
                arguments.Add("-r");
            }
            arguments.Add(source);
            arguments.Add(target);
            await ExternalCommand.RunCheckedAsync(Btrfs, arguments, cancellationToken).ConfigureAwait(false);
        }
        if (limit is { } bytes)
        {
            await LimitAsync(target, bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task<string> LimitAsync(string path, long bytes, CancellationToken cancellationToken)
        => ExternalCommand.RunCheckedAsync(Btrfs, ["qgroup", "limit", bytes.ToString(CultureInfo.InvariantCulture), path], cancellationToken);

    private static async Task DeleteSubvolumeAsync(string path, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(path))
        {
            return;
        }
        await ExternalCommand.RunCheckedAsync(Btrfs, ["subvolume", "delete", path], cancellationToken).ConfigureAwait(false);
    }

    private string VolumeDirectory(string id) => Path.Combine(_volumes, Checked(id, ObjectId.IsVolumeId));

    private string SnapshotDirectory(string id) => Path.Combine(_snapshots, Checked(id, ObjectId.IsSnapshotId));

    internal static string Checked(string id, Func<string, bool> isValid)
        => isValid(id) ? id : throw new ArgumentException($"\"{id}\" is not an id this driver issued", nameof(id));
}
