using Csi.Common.Concurrency;
using LocalVolume.Driver.Diagnostics;
using LocalVolume.Driver.Pools;
using LocalVolume.Driver.Tools;

namespace LocalVolume.Driver.Volumes;

/// <summary>
/// The volumes and snapshots of this node's pools: creation with reservations (a pool's budget cannot be overcommitted
/// by concurrent calls), idempotency by name, persistence of every phase change, and the repair at start of whatever
/// a crash left between two steps.
/// </summary>
public sealed class VolumeCatalog
{
    public const string PoolParameter = "pool";
    public const string FileSystemParameter = "fsType";
    public const string KubernetesPrefix = "csi.storage.k8s.io/";
    public const string KubernetesFileSystemParameter = "csi.storage.k8s.io/fstype";

    private readonly Dictionary<string, Pool> _pools;
    private readonly Pool _defaultPool;
    private readonly bool _ownsState;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    // Guards every pool's in-memory state and its file; held for short, synchronous work only.
    private readonly Lock _sync = new();
    private readonly KeyedLock _names = new();
    private readonly KeyedLock _ids = new();

    /// <param name="pools">The pools; the first is the default.</param>
    /// <param name="ownsState">True for the process that creates and deletes (controller or all); a node-mode process only reads.</param>
    /// <param name="logger">Where volume events go.</param>
    /// <param name="time">The clock of creation times.</param>
    public VolumeCatalog(IReadOnlyList<Pool> pools, bool ownsState, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(pools);
        if (pools.Count == 0)
        {
            throw new ArgumentException("at least one pool is needed", nameof(pools));
        }
        _pools = pools.ToDictionary(p => p.Name, StringComparer.Ordinal);
        _defaultPool = pools[0];
        _ownsState = ownsState;
        _logger = logger;
        _time = time;
    }

    public IReadOnlyCollection<Pool> Pools => _pools.Values;

    /// <summary>Readies each pool and loads its state; the owning process then repairs what a crash left half done.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var pool in _pools.Values)
        {
            if (_ownsState)
            {
                await pool.Layout.PrepareAsync(cancellationToken).ConfigureAwait(false);
            }
            pool.LoadedStamp = pool.StateFile.Stamp();
            pool.State = pool.StateFile.Load();
            if (_ownsState)
            {
                await RepairAsync(pool, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task<VolumeRecord> CreateVolumeAsync(CreateVolumeSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var pool = ResolvePool(spec);
        var fileSystem = ResolveFileSystem(spec, pool);
        var size = SizeRules.Choose(spec.RequiredBytes, spec.LimitBytes, SizeRules.Floor(pool.Definition, spec.Block, fileSystem), "capacity_range");
        if (pool.Definition.Layout == PoolLayout.Subvolume && spec.Block)
        {
            throw new VolumeException(VolumeErrorKind.InvalidArgument, $"volume_capabilities: pool {pool.Name} uses the subvolume layout, which serves filesystem volumes only; use an image pool for block volumes");
        }

        using var nameLock = await _names.AcquireAsync("volume/" + spec.Name, cancellationToken).ConfigureAwait(false);
        var existing = FindVolumeByName(spec.Name);
        if (existing is not null && existing.Phase == RecordPhase.Ready)
        {
            return Compatible(existing, spec, pool, fileSystem)
                ? existing
                : throw new VolumeException(VolumeErrorKind.AlreadyExists, $"name: volume {spec.Name} exists as {existing.Id} ({existing.CapacityBytes} bytes, pool {existing.Pool}, {Describe(existing)}), incompatible with this request");
        }
        if (existing is not null)
        {
            throw new VolumeException(VolumeErrorKind.Aborted, $"name: volume {spec.Name} is being {(existing.Phase == RecordPhase.Creating ? "created" : "deleted")}; retry");
        }

        SnapshotRecord? sourceSnapshot = null;
        VolumeRecord? sourceVolume = null;
        if (spec.SourceSnapshotId is { } snapshotId)
        {
            sourceSnapshot = FindSnapshot(snapshotId) is { Phase: RecordPhase.Ready } s ? s
                : throw new VolumeException(VolumeErrorKind.NotFound, $"volume_content_source.snapshot.snapshot_id: snapshot {snapshotId} does not exist");
            CheckSource(pool, sourceSnapshot.Pool, sourceSnapshot.SizeBytes, sourceSnapshot.Block, spec.Block, size, "volume_content_source.snapshot");
        }
        if (spec.SourceVolumeId is { } volumeId)
        {
            sourceVolume = FindVolume(volumeId) is { Phase: RecordPhase.Ready } v ? v
                : throw new VolumeException(VolumeErrorKind.NotFound, $"volume_content_source.volume.volume_id: volume {volumeId} does not exist");
            CheckSource(pool, sourceVolume.Pool, sourceVolume.CapacityBytes, sourceVolume.Block, spec.Block, size, "volume_content_source.volume");
        }

        var record = new VolumeRecord
        {
            Id = ObjectId.NewVolumeId(),
            Name = spec.Name,
            Pool = pool.Name,
            CapacityBytes = size,
            Block = spec.Block,
            FileSystem = pool.Definition.Layout == PoolLayout.Image && !spec.Block
                ? (sourceSnapshot?.FileSystem is { Length: > 0 } f1 ? f1 : sourceVolume?.FileSystem is { Length: > 0 } f2 ? f2 : fileSystem)
                : string.Empty,
            SourceSnapshotId = sourceSnapshot?.Id,
            SourceVolumeId = sourceVolume?.Id,
            Phase = RecordPhase.Creating,
            CreatedAt = _time.GetUtcNow(),
        };
        await ReserveAsync(pool, size, "volume " + spec.Name, () => pool.State.Volumes.Add(record), cancellationToken).ConfigureAwait(false);
        try
        {
            if (sourceSnapshot is not null)
            {
                await pool.Layout.CreateVolumeFromSnapshotAsync(record, sourceSnapshot, cancellationToken).ConfigureAwait(false);
            }
            else if (sourceVolume is not null)
            {
                using var sourceLock = await _ids.AcquireAsync(sourceVolume.Id, cancellationToken).ConfigureAwait(false);
                await pool.Layout.CloneVolumeAsync(record, sourceVolume, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await pool.Layout.CreateVolumeAsync(record, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is StorageToolException or IOException or UnauthorizedAccessException)
        {
            await UndoCreateAsync(pool, record.Id, () => pool.State.Volumes.Remove(record), () => pool.Layout.DeleteVolumeAsync(record.Id, CancellationToken.None)).ConfigureAwait(false);
            throw new VolumeException(VolumeErrorKind.Internal, $"creating volume {spec.Name} in pool {pool.Name} failed: {e.Message}", e);
        }
        catch (OperationCanceledException)
        {
            // The caller gave up (its deadline passed): a record left Creating would answer ABORTED to every retry of this name.
            await UndoCreateAsync(pool, record.Id, () => pool.State.Volumes.Remove(record), () => pool.Layout.DeleteVolumeAsync(record.Id, CancellationToken.None)).ConfigureAwait(false);
            throw;
        }
        await CommitAsync(pool, () => record.Phase = RecordPhase.Ready, cancellationToken).ConfigureAwait(false);
        DriverLog.VolumeCreated(_logger, record.Id, record.Name, record.Pool, record.CapacityBytes);
        return record;
    }

    /// <summary>Deletes the volume; an id that was never issued, or is gone, is already deleted.</summary>
    public async Task DeleteVolumeAsync(string volumeId, CancellationToken cancellationToken)
    {
        if (!ObjectId.IsVolumeId(volumeId))
        {
            return;
        }
        using var idLock = await _ids.AcquireAsync(volumeId, cancellationToken).ConfigureAwait(false);
        if (FindVolume(volumeId) is not { } record)
        {
            return;
        }
        var pool = _pools[record.Pool];
        await CommitAsync(pool, () => record.Phase = RecordPhase.Deleting, cancellationToken).ConfigureAwait(false);
        await RunStepAsync(() => pool.Layout.DeleteVolumeAsync(record.Id, cancellationToken), $"deleting volume {volumeId}").ConfigureAwait(false);
        await CommitAsync(pool, () => pool.State.Volumes.Remove(record), cancellationToken).ConfigureAwait(false);
        DriverLog.VolumeDeleted(_logger, volumeId, record.Pool);
    }

    /// <summary>Grows the volume to at least <paramref name="requiredBytes"/>; returns its capacity and whether the node must grow it too.</summary>
    public async Task<(long CapacityBytes, bool NodeExpansionRequired)> ExpandVolumeAsync(string volumeId, long requiredBytes, long limitBytes, CancellationToken cancellationToken)
    {
        using var idLock = await _ids.AcquireAsync(volumeId, cancellationToken).ConfigureAwait(false);
        var record = GetVolume(volumeId, "volume_id");
        var pool = _pools[record.Pool];
        if (limitBytes > 0 && limitBytes < record.CapacityBytes)
        {
            throw new VolumeException(VolumeErrorKind.OutOfRange, $"capacity_range.limit_bytes: {limitBytes} is below the volume's size {record.CapacityBytes}; volumes do not shrink");
        }
        if (requiredBytes <= record.CapacityBytes)
        {
            return (record.CapacityBytes, pool.Layout.NeedsNodeExpansion);
        }
        var size = SizeRules.Choose(requiredBytes, limitBytes, SizeRules.Granularity, "capacity_range");
        var previous = record.CapacityBytes;
        lock (_sync)
        {
            var available = pool.Definition.CapacityBytes - pool.ReservedBytes;
            if (size - previous > available)
            {
                throw new VolumeException(VolumeErrorKind.ResourceExhausted, $"capacity_range: pool {pool.Name} has {Math.Max(0, available)} bytes left, growing volume {volumeId} by {size - previous} needs more");
            }
            // Reserved in memory at once, written to the state file only once the storage has grown.
            record.CapacityBytes = size;
        }
        try
        {
            await RunStepAsync(() => pool.Layout.ExpandVolumeAsync(record, size, cancellationToken), $"expanding volume {volumeId}").ConfigureAwait(false);
        }
        catch
        {
            lock (_sync)
            {
                record.CapacityBytes = previous;
            }
            throw;
        }
        lock (_sync)
        {
            Save(pool);
        }
        DriverLog.VolumeExpanded(_logger, volumeId, size);
        return (size, pool.Layout.NeedsNodeExpansion);
    }

    public async Task<SnapshotRecord> CreateSnapshotAsync(string name, string sourceVolumeId, CancellationToken cancellationToken)
    {
        using var nameLock = await _names.AcquireAsync("snapshot/" + name, cancellationToken).ConfigureAwait(false);
        var existing = FindSnapshotByName(name);
        if (existing is not null)
        {
            if (existing.SourceVolumeId != sourceVolumeId)
            {
                throw new VolumeException(VolumeErrorKind.AlreadyExists, $"name: snapshot {name} exists for volume {existing.SourceVolumeId}, not {sourceVolumeId}");
            }
            return existing.Phase == RecordPhase.Ready ? existing
                : throw new VolumeException(VolumeErrorKind.Aborted, $"name: snapshot {name} is being {(existing.Phase == RecordPhase.Creating ? "created" : "deleted")}; retry");
        }
        using var idLock = await _ids.AcquireAsync(sourceVolumeId, cancellationToken).ConfigureAwait(false);
        var source = FindVolume(sourceVolumeId) is { Phase: RecordPhase.Ready } v ? v
            : throw new VolumeException(VolumeErrorKind.NotFound, $"source_volume_id: volume {sourceVolumeId} does not exist");
        var pool = _pools[source.Pool];
        var record = new SnapshotRecord
        {
            Id = ObjectId.NewSnapshotId(),
            Name = name,
            Pool = pool.Name,
            SourceVolumeId = source.Id,
            SizeBytes = source.CapacityBytes,
            Block = source.Block,
            FileSystem = source.FileSystem,
            Phase = RecordPhase.Creating,
            CreatedAt = _time.GetUtcNow(),
        };
        await ReserveAsync(pool, record.SizeBytes, "snapshot " + name, () => pool.State.Snapshots.Add(record), cancellationToken).ConfigureAwait(false);
        try
        {
            await pool.Layout.CreateSnapshotAsync(record, source, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StorageToolException or IOException or UnauthorizedAccessException)
        {
            await UndoCreateAsync(pool, record.Id, () => pool.State.Snapshots.Remove(record), () => pool.Layout.DeleteSnapshotAsync(record.Id, CancellationToken.None)).ConfigureAwait(false);
            throw new VolumeException(VolumeErrorKind.Internal, $"snapshotting volume {sourceVolumeId} failed: {e.Message}", e);
        }
        catch (OperationCanceledException)
        {
            await UndoCreateAsync(pool, record.Id, () => pool.State.Snapshots.Remove(record), () => pool.Layout.DeleteSnapshotAsync(record.Id, CancellationToken.None)).ConfigureAwait(false);
            throw;
        }
        await CommitAsync(pool, () => record.Phase = RecordPhase.Ready, cancellationToken).ConfigureAwait(false);
        DriverLog.SnapshotCreated(_logger, record.Id, record.Name, record.SourceVolumeId);
        return record;
    }

    public async Task DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken)
    {
        if (!ObjectId.IsSnapshotId(snapshotId))
        {
            return;
        }
        using var idLock = await _ids.AcquireAsync(snapshotId, cancellationToken).ConfigureAwait(false);
        if (FindSnapshot(snapshotId) is not { } record)
        {
            return;
        }
        var pool = _pools[record.Pool];
        await CommitAsync(pool, () => record.Phase = RecordPhase.Deleting, cancellationToken).ConfigureAwait(false);
        await RunStepAsync(() => pool.Layout.DeleteSnapshotAsync(record.Id, cancellationToken), $"deleting snapshot {snapshotId}").ConfigureAwait(false);
        await CommitAsync(pool, () => pool.State.Snapshots.Remove(record), cancellationToken).ConfigureAwait(false);
        DriverLog.SnapshotDeleted(_logger, snapshotId);
    }

    /// <summary>A ready volume by id, or NOT_FOUND naming <paramref name="field"/>. Ids not in the issued form are never found.</summary>
    public VolumeRecord GetVolume(string volumeId, string field)
    {
        RefreshIfChanged();
        return FindVolume(volumeId) is { Phase: RecordPhase.Ready } record
            ? record
            : throw new VolumeException(VolumeErrorKind.NotFound, $"{field}: volume {volumeId} does not exist");
    }

    public Pool PoolOf(VolumeRecord volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return _pools[volume.Pool];
    }

    public VolumePage<VolumeRecord> ListVolumes(int maxEntries, string startingToken)
        => Page(ReadyVolumes(), v => v.Id, ObjectId.IsVolumeId, maxEntries, startingToken);

    public VolumePage<SnapshotRecord> ListSnapshots(int maxEntries, string startingToken, string? snapshotId, string? sourceVolumeId)
    {
        IEnumerable<SnapshotRecord> snapshots = ReadySnapshots();
        if (snapshotId is not null)
        {
            snapshots = snapshots.Where(s => s.Id == snapshotId);
        }
        if (sourceVolumeId is not null)
        {
            snapshots = snapshots.Where(s => s.SourceVolumeId == sourceVolumeId);
        }
        return Page(snapshots, s => s.Id, ObjectId.IsSnapshotId, maxEntries, startingToken);
    }

    /// <summary>The budget left in the pool the parameters select.</summary>
    public PoolCapacity GetCapacity(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var pool = ResolvePool(new CreateVolumeSpec("", 0, 0, false, null, parameters));
        lock (_sync)
        {
            return new PoolCapacity(pool.Name, pool.Definition.CapacityBytes, Math.Max(0, pool.Definition.CapacityBytes - pool.ReservedBytes));
        }
    }

    private static VolumePage<T> Page<T>(IEnumerable<T> entries, Func<T, string> idOf, Func<string, bool> isId, int maxEntries, string startingToken)
    {
        if (maxEntries < 0)
        {
            throw new VolumeException(VolumeErrorKind.InvalidArgument, $"max_entries: {maxEntries} is negative");
        }
        if (startingToken.Length > 0 && !isId(startingToken))
        {
            throw new VolumeException(VolumeErrorKind.Aborted, $"starting_token: \"{startingToken}\" is not a token this driver issued");
        }
        // The token is the id to continue from: ids sort stably, and one deleted between pages does not lose the place.
        var ordered = entries.OrderBy(idOf, StringComparer.Ordinal).Where(e => string.CompareOrdinal(idOf(e), startingToken) >= 0).ToList();
        if (maxEntries == 0 || ordered.Count <= maxEntries)
        {
            return new VolumePage<T>(ordered, string.Empty);
        }
        return new VolumePage<T>(ordered.Take(maxEntries).ToList(), idOf(ordered[maxEntries]));
    }

    private Pool ResolvePool(CreateVolumeSpec spec)
    {
        foreach (var key in spec.Parameters.Keys)
        {
            if (key is not (PoolParameter or FileSystemParameter) && !key.StartsWith(KubernetesPrefix, StringComparison.Ordinal))
            {
                throw new VolumeException(VolumeErrorKind.InvalidArgument, $"parameters: unknown parameter \"{key}\"; this driver takes {PoolParameter} and {FileSystemParameter}");
            }
        }
        if (spec.Parameters.TryGetValue(PoolParameter, out var name))
        {
            return _pools.TryGetValue(name, out var pool)
                ? pool
                : throw new VolumeException(VolumeErrorKind.InvalidArgument, $"parameters.{PoolParameter}: no pool \"{name}\" on this node; pools: {string.Join(", ", _pools.Keys)}");
        }
        // A restore or clone without a pool parameter lands beside its source.
        var sourcePool = spec.SourceSnapshotId is { } s ? FindSnapshot(s)?.Pool : spec.SourceVolumeId is { } v ? FindVolume(v)?.Pool : null;
        return sourcePool is not null ? _pools[sourcePool] : _defaultPool;
    }

    private static string ResolveFileSystem(CreateVolumeSpec spec, Pool pool)
    {
        var requested = spec.Parameters.GetValueOrDefault(FileSystemParameter)
            ?? spec.Parameters.GetValueOrDefault(KubernetesFileSystemParameter)
            ?? (string.IsNullOrEmpty(spec.FileSystem) ? null : spec.FileSystem);
        if (requested is null)
        {
            return pool.Definition.DefaultFileSystem;
        }
        if (pool.Definition.Layout == PoolLayout.Subvolume)
        {
            return requested == "btrfs" ? requested
                : throw new VolumeException(VolumeErrorKind.InvalidArgument, $"volume_capabilities.mount.fs_type: pool {pool.Name} holds btrfs subvolumes; \"{requested}\" cannot be served");
        }
        return FileSystems.IsSupported(requested) ? requested
            : throw new VolumeException(VolumeErrorKind.InvalidArgument, $"fsType: \"{requested}\" is not one of {string.Join(", ", FileSystems.Supported)}");
    }

    private static bool Compatible(VolumeRecord existing, CreateVolumeSpec spec, Pool pool, string fileSystem)
        => existing.Pool == pool.Name
           && existing.CapacityBytes >= spec.RequiredBytes
           && (spec.LimitBytes == 0 || existing.CapacityBytes <= spec.LimitBytes)
           && existing.Block == spec.Block
           && (existing.Block || pool.Definition.Layout == PoolLayout.Subvolume || existing.FileSystem == fileSystem || existing.SourceSnapshotId is not null || existing.SourceVolumeId is not null)
           && existing.SourceSnapshotId == spec.SourceSnapshotId
           && existing.SourceVolumeId == spec.SourceVolumeId;

    private static string Describe(VolumeRecord volume)
        => (volume.Block ? "block" : "filesystem") + (volume.SourceSnapshotId is { } s ? $", from snapshot {s}" : "") + (volume.SourceVolumeId is { } v ? $", cloned from {v}" : "");

    private static void CheckSource(Pool pool, string sourcePool, long sourceBytes, bool sourceBlock, bool block, long size, string field)
    {
        if (sourcePool != pool.Name)
        {
            throw new VolumeException(VolumeErrorKind.InvalidArgument, $"{field}: the source is in pool {sourcePool}, the volume would be in pool {pool.Name}; restores and clones stay in their pool");
        }
        if (sourceBlock != block)
        {
            throw new VolumeException(VolumeErrorKind.InvalidArgument, $"{field}: the source is a {(sourceBlock ? "block" : "filesystem")} volume, the request is for a {(block ? "block" : "filesystem")} volume");
        }
        if (size < sourceBytes)
        {
            throw new VolumeException(VolumeErrorKind.OutOfRange, $"capacity_range: {size} bytes is smaller than the source's {sourceBytes} bytes");
        }
    }

    private Task ReserveAsync(Pool pool, long bytes, string what, Action add, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            var available = pool.Definition.CapacityBytes - pool.ReservedBytes;
            if (bytes > available)
            {
                throw new VolumeException(VolumeErrorKind.ResourceExhausted, $"pool {pool.Name} has {Math.Max(0, available)} of {pool.Definition.CapacityBytes} bytes left; {what} needs {bytes}");
            }
            add();
            Save(pool);
        }
        return Task.CompletedTask;
    }

    private Task CommitAsync(Pool pool, Action change, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        lock (_sync)
        {
            change();
            Save(pool);
        }
        return Task.CompletedTask;
    }

    private async Task UndoCreateAsync(Pool pool, string id, Action remove, Func<Task> deleteStorage)
    {
        try
        {
            await deleteStorage().ConfigureAwait(false);
            await CommitAsync(pool, () => remove(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StorageToolException or IOException or UnauthorizedAccessException)
        {
            // The record stays Creating: the next start removes what is left.
            DriverLog.UndoFailed(_logger, id, e.Message);
        }
    }

    private static async Task RunStepAsync(Func<Task> step, string what)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception e) when (e is StorageToolException or IOException or UnauthorizedAccessException)
        {
            throw new VolumeException(VolumeErrorKind.Internal, $"{what} failed: {e.Message}", e);
        }
    }

    private async Task RepairAsync(Pool pool, CancellationToken cancellationToken)
    {
        foreach (var volume in pool.State.Volumes.Where(v => v.Phase != RecordPhase.Ready).ToList())
        {
            await pool.Layout.DeleteVolumeAsync(volume.Id, cancellationToken).ConfigureAwait(false);
            pool.State.Volumes.Remove(volume);
            Save(pool);
            DriverLog.Repaired(_logger, volume.Id, volume.Phase.ToString(), pool.Name);
        }
        foreach (var snapshot in pool.State.Snapshots.Where(s => s.Phase != RecordPhase.Ready).ToList())
        {
            await pool.Layout.DeleteSnapshotAsync(snapshot.Id, cancellationToken).ConfigureAwait(false);
            pool.State.Snapshots.Remove(snapshot);
            Save(pool);
            DriverLog.Repaired(_logger, snapshot.Id, snapshot.Phase.ToString(), pool.Name);
        }
        // Storage no record claims (its record was never written, or was lost): removed, so nothing leaks.
        var known = pool.State.Volumes.Select(v => v.Id).Concat(pool.State.Snapshots.Select(s => s.Id)).ToHashSet(StringComparer.Ordinal);
        foreach (var id in pool.Layout.StoredIds().Where(id => !known.Contains(id)))
        {
            if (ObjectId.IsVolumeId(id))
            {
                await pool.Layout.DeleteVolumeAsync(id, cancellationToken).ConfigureAwait(false);
            }
            else if (ObjectId.IsSnapshotId(id))
            {
                await pool.Layout.DeleteSnapshotAsync(id, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                continue;
            }
            DriverLog.OrphanRemoved(_logger, id, pool.Name);
        }
    }

    private static void Save(Pool pool)
    {
        pool.StateFile.Save(pool.State);
        pool.LoadedStamp = pool.StateFile.Stamp();
    }

    /// <summary>A node-mode process reads what the controller process wrote, when the file changed since it last looked.</summary>
    private void RefreshIfChanged()
    {
        if (_ownsState)
        {
            return;
        }
        foreach (var pool in _pools.Values)
        {
            lock (_sync)
            {
                var stamp = pool.StateFile.Stamp();
                if (stamp != pool.LoadedStamp)
                {
                    pool.State = pool.StateFile.Load();
                    pool.LoadedStamp = stamp;
                }
            }
        }
    }

    private VolumeRecord? FindVolume(string id)
    {
        if (!ObjectId.IsVolumeId(id))
        {
            return null;
        }
        lock (_sync)
        {
            return _pools.Values.SelectMany(p => p.State.Volumes).FirstOrDefault(v => v.Id == id);
        }
    }

    private SnapshotRecord? FindSnapshot(string id)
    {
        if (!ObjectId.IsSnapshotId(id))
        {
            return null;
        }
        lock (_sync)
        {
            return _pools.Values.SelectMany(p => p.State.Snapshots).FirstOrDefault(s => s.Id == id);
        }
    }

    private VolumeRecord? FindVolumeByName(string name)
    {
        lock (_sync)
        {
            return _pools.Values.SelectMany(p => p.State.Volumes).FirstOrDefault(v => v.Name == name);
        }
    }

    private SnapshotRecord? FindSnapshotByName(string name)
    {
        lock (_sync)
        {
            return _pools.Values.SelectMany(p => p.State.Snapshots).FirstOrDefault(s => s.Name == name);
        }
    }

    private List<VolumeRecord> ReadyVolumes()
    {
        RefreshIfChanged();
        lock (_sync)
        {
            return _pools.Values.SelectMany(p => p.State.Volumes).Where(v => v.Phase == RecordPhase.Ready).ToList();
        }
    }

    private List<SnapshotRecord> ReadySnapshots()
    {
        RefreshIfChanged();
        lock (_sync)
        {
            return _pools.Values.SelectMany(p => p.State.Snapshots).Where(s => s.Phase == RecordPhase.Ready).ToList();
        }
    }
}
