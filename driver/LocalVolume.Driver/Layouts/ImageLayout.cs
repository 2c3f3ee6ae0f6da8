using LocalVolume.Driver.Pools;
using LocalVolume.Driver.Tools;
using LocalVolume.Driver.Volumes;

namespace LocalVolume.Driver.Layouts;

/// <summary>
/// Sparse image files: a volume is <c>volumes/&lt;id&gt;.img</c>, given a filesystem on its first stage and served
/// through a loop device; a snapshot is a sparse (reflinked where the filesystem can) copy of the image.
/// </summary>
public sealed class ImageLayout : IPoolLayout
{
    private const string Suffix = ".img";
    private const string PartialSuffix = ".partial";

    private readonly PoolDefinition _pool;
    private readonly string _volumes;
    private readonly string _snapshots;

    public ImageLayout(PoolDefinition pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _pool = pool;
        _volumes = Path.Combine(pool.Directory, "volumes");
        _snapshots = Path.Combine(pool.Directory, "snapshots");
    }

    public bool NeedsNodeExpansion => true;

    public Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_pool.Directory))
        {
            throw new StorageToolException($"pool {_pool.Name}: directory {_pool.Directory} does not exist");
        }
        Directory.CreateDirectory(_volumes);
        Directory.CreateDirectory(_snapshots);
        // Copies cut short by a crash: their volume or snapshot is still Creating and is removed by the repair.
        foreach (var partial in Directory.EnumerateFiles(_volumes, "*" + PartialSuffix).Concat(Directory.EnumerateFiles(_snapshots, "*" + PartialSuffix)))
        {
            File.Delete(partial);
        }
        return Task.CompletedTask;
    }

    public string VolumePath(VolumeRecord volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return VolumeFile(volume.Id);
    }

    public Task CreateVolumeAsync(VolumeRecord volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var path = VolumeFile(volume.Id);
        var partial = path + PartialSuffix;
        using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.SetLength(volume.CapacityBytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(partial, path, overwrite: true);
        return Task.CompletedTask;
    }

    public Task CreateVolumeFromSnapshotAsync(VolumeRecord volume, SnapshotRecord source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(source);
        return CopyAsync(SnapshotFile(source.Id), VolumeFile(volume.Id), volume.CapacityBytes, volume.FileSystem, cancellationToken);
    }

    public Task CloneVolumeAsync(VolumeRecord volume, VolumeRecord source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(source);
        return CopyAsync(VolumeFile(source.Id), VolumeFile(volume.Id), volume.CapacityBytes, volume.FileSystem, cancellationToken);
    }

    public async Task DeleteVolumeAsync(string volumeId, CancellationToken cancellationToken)
    {
        var path = VolumeFile(volumeId);
        if (!File.Exists(path))
        {
            return;
        }
        await LoopDevices.DetachAllAsync(path, cancellationToken).ConfigureAwait(false);
        File.Delete(path);
    }

    public Task ExpandVolumeAsync(VolumeRecord volume, long newCapacityBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        using var stream = new FileStream(VolumeFile(volume.Id), FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        if (stream.Length < newCapacityBytes)
        {
            stream.SetLength(newCapacityBytes);
            stream.Flush(flushToDisk: true);
        }
        return Task.CompletedTask;
    }

    public async Task CreateSnapshotAsync(SnapshotRecord snapshot, VolumeRecord source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(source);
        var sourceFile = VolumeFile(source.Id);
        // A filesystem mounted from the image holds its dirty pages above the loop device: a global sync writes
        // them through the loop device into the image file, so the copy is at least crash-consistent.
        await ExternalCommand.RunCheckedAsync("sync", [], cancellationToken).ConfigureAwait(false);
        await CopyAsync(sourceFile, SnapshotFile(snapshot.Id), null, string.Empty, cancellationToken).ConfigureAwait(false);
    }

    public Task DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken)
    {
        File.Delete(SnapshotFile(snapshotId));
        return Task.CompletedTask;
    }

    public IReadOnlyList<string> StoredIds()
        => [.. Ids(_volumes), .. Ids(_snapshots)];

    private static IEnumerable<string> Ids(string directory)
        => Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*" + Suffix).Select(Path.GetFileName).OfType<string>().Select(n => n[..^Suffix.Length])
            : [];

    private static async Task CopyAsync(string source, string target, long? capacityBytes, string fileSystem, CancellationToken cancellationToken)
    {
        if (File.Exists(target))
        {
            return;
        }
        var partial = target + PartialSuffix;
        await ExternalCommand.RunCheckedAsync("cp", ["--sparse=always", "--reflink=auto", source, partial], cancellationToken).ConfigureAwait(false);
        if (capacityBytes is { } bytes)
        {
            long before;
            using (var stream = new FileStream(partial, FileMode.Open, FileAccess.Write, FileShare.None))
            {
                before = stream.Length;
                if (before < bytes)
                {
                    stream.SetLength(bytes);
                }
                stream.Flush(flushToDisk: true);
            }
            if (before < bytes && fileSystem == FileSystems.Ext4 && await HasFileSystemAsync(partial, cancellationToken).ConfigureAwait(false))
            {
                // ext4 grows offline here, where no capability is needed; XFS grows when the node mounts it.
                await ExternalCommand.RunCheckedAsync("e2fsck", ["-f", "-p", partial], cancellationToken).ConfigureAwait(false);
                await ExternalCommand.RunCheckedAsync("resize2fs", [partial], cancellationToken).ConfigureAwait(false);
            }
        }
        File.Move(partial, target, overwrite: false);
    }

    private static async Task<bool> HasFileSystemAsync(string path, CancellationToken cancellationToken)
        => (await ExternalCommand.RunAsync("blkid", ["-p", "-o", "value", "-s", "TYPE", path], cancellationToken).ConfigureAwait(false)).StandardOutput.Trim().Length > 0;

    private string VolumeFile(string id) => Path.Combine(_volumes, SubvolumeLayout.Checked(id, ObjectId.IsVolumeId) + Suffix);

    private string SnapshotFile(string id) => Path.Combine(_snapshots, SubvolumeLayout.Checked(id, ObjectId.IsSnapshotId) + Suffix);
}
