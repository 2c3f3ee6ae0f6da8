using Csi.Common.Concurrency;
using Csi.Common.Mounting;
using LocalVolume.Driver.Diagnostics;
using LocalVolume.Driver.Layouts;
using LocalVolume.Driver.Pools;
using LocalVolume.Driver.Tools;
using LocalVolume.Driver.Volumes;

namespace LocalVolume.Driver.Node;

/// <summary>
/// The node half: staging (a loop device and, on first use, a filesystem for image volumes; a bind mount of the
/// subvolume otherwise), publishing by bind mount, usage and online growth. Every step that fails undoes what it did.
/// </summary>
public sealed class NodeVolumes
{
    private readonly VolumeCatalog _catalog;
    private readonly IMounter _mounter;
    private readonly ILogger _logger;
    private readonly KeyedLock _locks = new();

    public NodeVolumes(VolumeCatalog catalog, IMounter mounter, ILogger<NodeVolumes> logger)
    {
        _catalog = catalog;
        _mounter = mounter;
        _logger = logger;
    }

    public async Task StageAsync(string volumeId, string stagingPath, bool block, MountOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        stagingPath = NodePaths.Check(stagingPath, "staging_target_path");
        using var _ = await _locks.AcquireAsync(volumeId, cancellationToken).ConfigureAwait(false);
        var volume = _catalog.GetVolume(volumeId, "volume_id");
        CheckAccessType(volume, block);
        var pool = _catalog.PoolOf(volume);
        var source = pool.Layout.VolumePath(volume);
        if (!Directory.Exists(stagingPath))
        {
            throw new VolumeException(VolumeErrorKind.InvalidArgument, $"staging_target_path: {stagingPath} is not an existing directory");
        }

        if (pool.Definition.Layout == PoolLayout.Subvolume)
        {
            if (Mounted(stagingPath))
            {
                return;
            }
            Run(() => _mounter.BindMount(source, stagingPath, MountOptions.Parse([])), "bind-mounting the subvolume");
            DriverLog.Staged(_logger, volumeId, stagingPath, "");
            return;
        }

        if (block)
        {
            var (device, _) = await Step(() => LoopDevices.AttachAsync(source, cancellationToken), "attaching a loop device").ConfigureAwait(false);
            var detail = " as block device " + device;
            DriverLog.Staged(_logger, volumeId, stagingPath, detail);
            return;
        }

        if (Mounted(stagingPath))
        {
            return;
        }
        var (loop, attached) = await Step(() => LoopDevices.AttachAsync(source, cancellationToken), "attaching a loop device").ConfigureAwait(false);
        try
        {
            var existing = await Step(() => ProbeFileSystemAsync(loop, cancellationToken), "probing the device").ConfigureAwait(false);
            var fileSystem = existing ?? volume.FileSystem;
            if (existing is null)
            {
                // Only a device with no signature at all gets a filesystem: never one that holds data of any kind.
                await Step(() => MakeFileSystemAsync(loop, fileSystem, cancellationToken), "making the filesystem").ConfigureAwait(false);
                DriverLog.FileSystemMade(_logger, fileSystem, loop, volumeId);
            }
            // Copies of an XFS image share their source's UUID; XFS refuses a second mount of one UUID without nouuid.
            var mountOptions = fileSystem == FileSystems.Xfs ? MountOptions.Parse(Describe(options.Flags).Append(options.Data).Append("nouuid")) : options;
            Run(() => _mounter.MountDevice(loop, stagingPath, fileSystem, mountOptions), "mounting the filesystem");
            if (fileSystem == FileSystems.Xfs)
            {
                // A restore into a larger volume: XFS grows only while mounted.
                await Step(() => ExternalCommand.RunCheckedAsync("xfs_growfs", [stagingPath], cancellationToken), "growing the filesystem").ConfigureAwait(false);
            }
            var detail = $" ({fileSystem} on {loop})";
            DriverLog.Staged(_logger, volumeId, stagingPath, detail);
        }
        catch
        {
            await UndoStageAsync(volumeId, stagingPath, attached ? loop : null).ConfigureAwait(false);
            throw;
        }
    }

    public async Task UnstageAsync(string volumeId, string stagingPath, CancellationToken cancellationToken)
    {
        stagingPath = NodePaths.Check(stagingPath, "staging_target_path");
        using var _ = await _locks.AcquireAsync(volumeId, cancellationToken).ConfigureAwait(false);
        var volume = _catalog.GetVolume(volumeId, "volume_id");
        var pool = _catalog.PoolOf(volume);
        if (_mounter.GetState(stagingPath) is MountPointState.Mounted or MountPointState.Corrupted)
        {
            Run(() => _mounter.Unmount(stagingPath), "unmounting the staging path");
        }
        if (pool.Definition.Layout == PoolLayout.Image)
        {
            await Step(() => LoopDevices.DetachAllAsync(pool.Layout.VolumePath(volume), cancellationToken), "detaching the loop device").ConfigureAwait(false);
        }
        DriverLog.Unstaged(_logger, volumeId, stagingPath);
    }

    public async Task PublishAsync(string volumeId, string stagingPath, string targetPath, bool block, bool readOnly, MountOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        stagingPath = NodePaths.Check(stagingPath, "staging_target_path");
        targetPath = NodePaths.Check(targetPath, "target_path");
        using var _ = await _locks.AcquireAsync(volumeId, cancellationToken).ConfigureAwait(false);
        var volume = _catalog.GetVolume(volumeId, "volume_id");
        CheckAccessType(volume, block);
        var pool = _catalog.PoolOf(volume);
        if (options.Data.Length > 0)
        {
            throw new VolumeException(VolumeErrorKind.InvalidArgument, $"volume_capability.mount.mount_flags: \"{options.Data}\" cannot apply to a bind mount; give filesystem options at stage time");
        }
        var bindOptions = readOnly ? options.WithReadOnly() : options;

        if (Mounted(targetPath))
        {
            var entry = MountInfo.Find(targetPath);
            var mountedReadOnly = entry is not null && entry.MountOptions.Split(',').Contains("ro");
            if (mountedReadOnly != bindOptions.ReadOnly)
            {
                throw new VolumeException(VolumeErrorKind.AlreadyExists, $"target_path: {targetPath} is published {(mountedReadOnly ? "read-only" : "read-write")}, the request asks otherwise");
            }
            return;
        }

        string source;
        if (block)
        {
            var devices = await Step(() => LoopDevices.FindAsync(pool.Layout.VolumePath(volume), cancellationToken), "finding the loop device").ConfigureAwait(false);
            source = devices.Count > 0 ? devices[0]
                : throw new VolumeException(VolumeErrorKind.FailedPrecondition, $"staging_target_path: volume {volumeId} is not staged (no loop device serves it)");
        }
        else
        {
            source = Mounted(stagingPath) ? stagingPath
                : throw new VolumeException(VolumeErrorKind.FailedPrecondition, $"staging_target_path: volume {volumeId} is not staged at {stagingPath}");
        }

        var created = false;
        if (block)
        {
            if (Directory.Exists(targetPath))
            {
                throw new VolumeException(VolumeErrorKind.InvalidArgument, $"target_path: {targetPath} is a directory; a block volume is published on a file");
            }
            if (!File.Exists(targetPath))
            {
                CheckParent(targetPath);
                using (File.Create(targetPath))
                {
                }
                created = true;
            }
        }
        else if (!Directory.Exists(targetPath))
        {
            CheckParent(targetPath);
            Directory.CreateDirectory(targetPath);
            created = true;
        }
        try
        {
            Run(() => _mounter.BindMount(source, targetPath, bindOptions), "bind-mounting the volume");
        }
        catch
        {
            if (created)
            {
                RemoveTarget(targetPath);
            }
            throw;
        }
        DriverLog.Published(_logger, volumeId, targetPath, bindOptions.ReadOnly);
    }

    public async Task UnpublishAsync(string volumeId, string targetPath, CancellationToken cancellationToken)
    {
        targetPath = NodePaths.Check(targetPath, "target_path");
        using var volumeLock = await _locks.AcquireAsync(volumeId, cancellationToken).ConfigureAwait(false);
        _ = _catalog.GetVolume(volumeId, "volume_id");
        if (_mounter.GetState(targetPath) is MountPointState.Mounted or MountPointState.Corrupted)
        {
            Run(() => _mounter.Unmount(targetPath), "unmounting the target");
        }
        RemoveTarget(targetPath);
        DriverLog.Unpublished(_logger, volumeId, targetPath);
    }

    public async Task<VolumeUsage> GetUsageAsync(string volumeId, string volumePath, CancellationToken cancellationToken)
    {
        var volume = _catalog.GetVolume(volumeId, "volume_id");
        var pool = _catalog.PoolOf(volume);
        volumePath = WherePublished(volumeId, volumePath);
        var state = _mounter.GetState(volumePath);
        if (state is MountPointState.Missing or MountPointState.NotMounted)
        {
            throw new VolumeException(VolumeErrorKind.NotFound, $"volume_path: volume {volumeId} is not published or staged at {volumePath}");
        }
        if (state == MountPointState.Corrupted)
        {
            return new VolumeUsage(volume.CapacityBytes, 0, 0, null, null, null, true, $"{volumePath} is mounted but does not answer");
        }
        if (volume.Block)
        {
            return new VolumeUsage(volume.CapacityBytes, 0, 0, null, null, null, false, "block device attached");
        }
        var stats = FileSystemStats.Read(volumePath);
        if (pool.Definition.Layout == PoolLayout.Subvolume)
        {
            var (used, limit) = await Step(() => SubvolumeLayout.ReadUsageAsync(pool.Layout.VolumePath(volume), cancellationToken), "reading the qgroup").ConfigureAwait(false);
            var total = limit ?? volume.CapacityBytes;
            // Inodes are the pool filesystem's: btrfs allocates them on demand and a qgroup does not count them.
            return new VolumeUsage(total, used, Math.Max(0, Math.Min(total - used, stats.AvailableBytes)), stats.TotalInodes, stats.TotalInodes - stats.FreeInodes, stats.FreeInodes, false, "qgroup limit in force");
        }
        return new VolumeUsage(stats.TotalBytes, stats.UsedBytes, stats.AvailableBytes, stats.TotalInodes, stats.TotalInodes - stats.FreeInodes, stats.FreeInodes, false, "filesystem mounted");
    }

    /// <summary>Grows what the node serves to the volume's recorded size: the loop device, then the mounted filesystem.</summary>
    public async Task<long> ExpandAsync(string volumeId, string volumePath, string? stagingPath, CancellationToken cancellationToken)
    {
        using var _ = await _locks.AcquireAsync(volumeId, cancellationToken).ConfigureAwait(false);
        var volume = _catalog.GetVolume(volumeId, "volume_id");
        var pool = _catalog.PoolOf(volume);
        volumePath = WherePublished(volumeId, volumePath);
        if (_mounter.GetState(volumePath) is MountPointState.Missing)
        {
            throw new VolumeException(VolumeErrorKind.NotFound, $"volume_path: {volumePath} does not exist");
        }
        if (pool.Definition.Layout == PoolLayout.Subvolume)
        {
            return volume.CapacityBytes;
        }
        var devices = await Step(() => LoopDevices.FindAsync(pool.Layout.VolumePath(volume), cancellationToken), "finding the loop device").ConfigureAwait(false);
        if (devices.Count == 0)
        {
            throw new VolumeException(VolumeErrorKind.FailedPrecondition, $"volume_id: volume {volumeId} is not staged on this node");
        }
        foreach (var device in devices)
        {
            await Step(() => LoopDevices.RefreshSizeAsync(device, cancellationToken), "refreshing the loop device's size").ConfigureAwait(false);
        }
        if (!volume.Block)
        {
            var mountPoint = stagingPath is { Length: > 0 } ? NodePaths.Check(stagingPath, "staging_target_path") : volumePath;
            var fileSystem = await Step(() => ProbeFileSystemAsync(devices[0], cancellationToken), "probing the device").ConfigureAwait(false);
            if (fileSystem == FileSystems.Xfs)
            {
                await Step(() => ExternalCommand.RunCheckedAsync("xfs_growfs", [mountPoint], cancellationToken), "growing the XFS filesystem").ConfigureAwait(false);
            }
            else
            {
                var result = await ExternalCommand.RunAsync("resize2fs", [devices[0]], cancellationToken).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    var message = result.StandardError.Trim();
                    throw new VolumeException(VolumeErrorKind.Internal, (message.Contains("Permission denied", StringComparison.Ordinal) || message.Contains("Operation not permitted", StringComparison.Ordinal))
                        ? $"growing the mounted ext4 filesystem of volume {volumeId} was refused: online ext4 resize needs CAP_SYS_RESOURCE, which this node plugin lacks (run it privileged); resize2fs said: {message}"
                        : $"resize2fs {devices[0]} failed: {message}");
                }
            }
        }
        DriverLog.NodeExpanded(_logger, volumeId, volume.CapacityBytes);
        return volume.CapacityBytes;
    }

    /// <summary>A volume_path that is not a clean absolute path cannot be where the volume is: NOT_FOUND, as the spec asks.</summary>
    private static string WherePublished(string volumeId, string volumePath)
    {
        try
        {
            return NodePaths.Check(volumePath, "volume_path");
        }
        catch (VolumeException e)
        {
            throw new VolumeException(VolumeErrorKind.NotFound, $"volume_path: volume {volumeId} is not at {volumePath}: {e.Message}");
        }
    }

    private static void CheckAccessType(VolumeRecord volume, bool block)
    {
        if (volume.Block != block)
        {
            throw new VolumeException(VolumeErrorKind.FailedPrecondition, $"volume_capability: volume {volume.Id} was created as a {(volume.Block ? "block" : "filesystem")} volume and cannot be used as a {(block ? "block" : "filesystem")} volume");
        }
    }

    private static void CheckParent(string path)
    {
        var parent = Path.GetDirectoryName(path);
        if (parent is null || !Directory.Exists(parent))
        {
            throw new VolumeException(VolumeErrorKind.InvalidArgument, $"target_path: the parent of {path} does not exist");
        }
    }

    private static IEnumerable<string> Describe(ulong flags)
    {
        // Back from flag bits to option words, so one Parse call merges them with the data options.
        (ulong Flag, string Word)[] words =
        [
            (MountOptions.ReadOnlyFlag, "ro"), (MountOptions.NoSuidFlag, "nosuid"), (MountOptions.NoDevFlag, "nodev"),
            (MountOptions.NoExecFlag, "noexec"), (MountOptions.SynchronousFlag, "sync"), (MountOptions.DirSyncFlag, "dirsync"),
            (MountOptions.NoAtimeFlag, "noatime"), (MountOptions.NoDirAtimeFlag, "nodiratime"), (MountOptions.RelAtimeFlag, "relatime"),
            (MountOptions.StrictAtimeFlag, "strictatime"), (MountOptions.LazyTimeFlag, "lazytime"),
        ];
        return words.Where(w => (flags & w.Flag) != 0).Select(w => w.Word);
    }

    private bool Mounted(string path) => _mounter.GetState(path) == MountPointState.Mounted;

    private static void RemoveTarget(string targetPath)
    {
        if (Directory.Exists(targetPath))
        {
            Directory.Delete(targetPath);
        }
        else if (File.Exists(targetPath))
        {
            File.Delete(targetPath);
        }
    }

    private async Task UndoStageAsync(string volumeId, string stagingPath, string? attachedLoop)
    {
        try
        {
            if (Mounted(stagingPath))
            {
                _mounter.Unmount(stagingPath);
            }
            if (attachedLoop is not null)
            {
                await LoopDevices.DetachAsync(attachedLoop, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or StorageToolException)
        {
            DriverLog.StageCleanupFailed(_logger, volumeId, e.Message);
        }
    }

    private static async Task<string?> ProbeFileSystemAsync(string device, CancellationToken cancellationToken)
    {
        // -p reads the device itself (no cache); exit 2 means no signature of any kind was found.
        var result = await ExternalCommand.RunAsync("blkid", ["-p", "-o", "value", "-s", "TYPE", device], cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 2)
        {
            return null;
        }
        if (!result.Succeeded)
        {
            throw new StorageToolException($"blkid -p {device} exited {result.ExitCode}: {result.StandardError.Trim()}");
        }
        var type = result.StandardOutput.Trim();
        if (type.Length == 0)
        {
            // A signature that is not a filesystem (a partition table, say): data, which is never formatted over.
            throw new StorageToolException($"{device} holds data that is not a filesystem; it is not formatted over");
        }
        return type;
    }

    private static Task<string> MakeFileSystemAsync(string device, string fileSystem, CancellationToken cancellationToken)
        => fileSystem switch
        {
            FileSystems.Xfs => ExternalCommand.RunCheckedAsync("mkfs.xfs", ["-q", device], cancellationToken),
            FileSystems.Ext4 => ExternalCommand.RunCheckedAsync("mkfs.ext4", ["-q", "-m", "0", device], cancellationToken),
            _ => throw new VolumeException(VolumeErrorKind.InvalidArgument, $"volume_capability.mount.fs_type: \"{fileSystem}\" is not supported"),
        };

    private static void Run(Action step, string what)
    {
        try
        {
            step();
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            throw new VolumeException(VolumeErrorKind.Internal, $"{what} failed: {e.Message}", e);
        }
    }

    private static async Task Step(Func<Task> step, string what)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception e) when (e is StorageToolException or IOException)
        {
            throw new VolumeException(VolumeErrorKind.Internal, $"{what} failed: {e.Message}", e);
        }
    }

    private static async Task<T> Step<T>(Func<Task<T>> step, string what)
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (Exception e) when (e is StorageToolException or IOException)
        {
            throw new VolumeException(VolumeErrorKind.Internal, $"{what} failed: {e.Message}", e);
        }
    }
}
