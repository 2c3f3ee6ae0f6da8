using System.Collections.Concurrent;
using Csi.Common;
using Csi.Common.Concurrency;
using Csi.Common.Files;
using Csi.Common.Mounting;
using SecretsStore.Driver.Diagnostics;
using SecretsStore.Driver.Events;
using SecretsStore.Driver.Files;
using SecretsStore.Driver.PodStatuses;
using SecretsStore.Driver.Providers;
using SecretsStore.Driver.SecretProviderClasses;
using SecretsStore.Driver.SecretSync;
using SecretsStore.Driver.ServiceAccountTokens;
using SecretsStore.Driver.VolumeState;
using SecretsStore.Provider.V1Alpha1;

namespace SecretsStore.Driver.Publishing;

/// <summary>
/// The mount path: resolve the SecretProviderClass, mount a tmpfs, ask the provider, write the files
/// atomically, record the pod status. A first publish that fails leaves nothing behind. A republish of a
/// mounted volume costs nothing unless rotation is on and the volume is due; a failed rotation keeps the
/// last good content and reports success, as upstream does (kubelet removes the volume on a republish error).
/// </summary>
public sealed class NodePublisher
{
    private const UnixFileMode TargetDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(10);

    private readonly IMounter _mounter;
    private readonly ISecretProviderClassSource _classes;
    private readonly IProviderClient _providers;
    private readonly IPodStatusRecorder _status;
    private readonly DriverMetrics _metrics;
    private readonly PublisherSettings _settings;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ISecretSync _secretSync;
    private readonly IPodEventRecorder _events;
    private readonly KeyedLock _locks = new();
    private readonly InFlightRotations _rotations = new();
    private readonly VolumeStateStore? _state;
    private readonly Lazy<int> _restored;
    private readonly ConcurrentDictionary<string, MountedVolume> _volumes = new(StringComparer.Ordinal);
    // What the rotation reconciler re-sends for each volume: the last publish, tokens left out (they expire; fresh ones are requested).
    private readonly ConcurrentDictionary<string, PublishVolumeRequest> _requests = new(StringComparer.Ordinal);
    private readonly IServiceAccountTokenSource _tokens;

    public NodePublisher(
        IMounter mounter,
        ISecretProviderClassSource classes,
        IProviderClient providers,
        IPodStatusRecorder status,
        DriverMetrics metrics,
        PublisherSettings settings,
        ILogger<NodePublisher> logger,
        TimeProvider time,
        ISecretSync secretSync,
        IPodEventRecorder events,
        IServiceAccountTokenSource tokens)
    {
        _tokens = tokens;
        _mounter = mounter;
        _classes = classes;
        _providers = providers;
        _status = status;
        _metrics = metrics;
        _settings = settings;
        _logger = logger;
        _time = time;
        _secretSync = secretSync;
        _events = events;
        _state = settings.StateDirectory is { Length: > 0 } directory ? new VolumeStateStore(directory) : null;
        _restored = new Lazy<int>(RestoreVolumesFromState, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public IReadOnlyDictionary<string, MountedVolume> Volumes => _volumes;

    public async Task<PublishOutcome> PublishAsync(PublishVolumeRequest request, CancellationToken cancellationToken)
    {
        RestoreVolumes();
        var target = NormalizeTarget(request.TargetPath);
        using var _ = await _locks.AcquireAsync(target, cancellationToken).ConfigureAwait(false);
        var started = _time.GetTimestamp();
        var provider = string.Empty;
        try
        {
            var state = EnsureHealthyMountPoint(target);
            if (state == MountPointState.Mounted)
            {
                var outcome = await RepublishAsync(request, target, _settings.RotationPollInterval, cancellationToken).ConfigureAwait(false);
                _metrics.NodePublish.Inc(_volumes.TryGetValue(target, out var known) ? known.Provider : string.Empty, _metrics.OsType);
                return outcome;
            }

            var spc = await ResolveAsync(request, cancellationToken).ConfigureAwait(false);
            provider = spc.Provider;
            var result = await MountAsync(request, spc, target, state, cancellationToken).ConfigureAwait(false);

            var elapsed = _time.GetElapsedTime(started);
            _metrics.NodePublish.Inc(provider, _metrics.OsType);
            _metrics.NodePublishDuration.Observe(elapsed.TotalSeconds, provider, _metrics.OsType);
            DriverLog.Published(_logger, request.VolumeId, request.PodNamespace, request.PodName, spc.QualifiedName, provider, result.Written.Count, result.Kept.Count, (long)elapsed.TotalMilliseconds);
            return PublishOutcome.Mounted;
        }
        catch (SecretsStoreException e)
        {
            _metrics.NodePublishError.Inc(provider, e.MetricErrorType, _metrics.OsType);
            DriverLog.PublishFailed(_logger, request.VolumeId, request.PodNamespace, request.PodName, e.Reason.ToString(), e.Message);
            throw;
        }
    }

    public async Task UnpublishAsync(string volumeId, string targetPath, CancellationToken cancellationToken)
    {
        RestoreVolumes();
        var target = NormalizeTarget(targetPath);
        // Before the lock: a rotation holding it is cancelled now rather than waited for (a pod's deletion waits on this).
        using var unpublishing = _rotations.BeginUnpublish(target);
        using var _ = await _locks.AcquireAsync(target, cancellationToken).ConfigureAwait(false);
        try
        {
            MountPointState state;
            try
            {
                state = _mounter.GetState(target);
            }
            catch (IOException)
            {
                state = MountPointState.Corrupted;
            }
            if (state == MountPointState.Mounted)
            {
                RemoveEntries(target);
            }
            if (state is MountPointState.Mounted or MountPointState.Corrupted)
            {
                _mounter.Unmount(target);
            }
            if (Directory.Exists(target))
            {
                // Not a mount point any more: whatever is left sits on the node's disk and goes too.
                Directory.Delete(target, recursive: true);
            }
            _volumes.TryRemove(target, out var _);
            if (_requests.TryRemove(target, out var gone) && gone.PodUid.Length > 0 && !_requests.Values.Any(r => r.PodUid == gone.PodUid))
            {
                _tokens.Forget(gone.PodUid); // the pod's last volume here: its tokens are of no further use
            }
            _classes.Release(target);
            DeleteState(target);
            await _secretSync.ReleaseAsync(target, cancellationToken).ConfigureAwait(false);
            await _status.RemoveAsync(target, cancellationToken).ConfigureAwait(false);
            _metrics.NodeUnpublish.Inc(_metrics.OsType);
            DriverLog.Unpublished(_logger, volumeId, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _metrics.NodeUnpublishError.Inc(_metrics.OsType);
            DriverLog.UnpublishFailed(_logger, volumeId, target, e.Message);
            throw new SecretsStoreException(ErrorReason.FailedToUnmount, $"could not unmount and remove {target}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Once, before the first publish or unpublish this process handles: the volumes this driver published before
    /// it restarted, from their metadata, for those still mounted. The persisted fetch time is only a hint: capped
    /// at one interval, so that a wall clock stepped since delays a rotation by at most one interval. Metadata of
    /// a volume no longer mounted is removed. Returns how many volumes it took back.
    /// </summary>
    public int RestoreVolumes() => _restored.Value;

    /// <summary>The volumes the rotation reconciler may rotate: mounted by this driver, with a publish it can send again.</summary>
    public IReadOnlyCollection<string> RotatableVolumes()
    {
        RestoreVolumes();
        return [.. _requests.Keys.Where(_volumes.ContainsKey)];
    }

    /// <summary>When the volume at <paramref name="target"/> last fetched, on the monotonic clock; null when it is not mounted.</summary>
    public TimeSpan? SinceLastFetch(string target)
        => _volumes.TryGetValue(target, out var volume) ? _time.GetElapsedTime(volume.LastFetchTimestamp) : null;

    /// <summary>
    /// The rotation reconciler's way in: the republish path (same lock, fetch, atomic rewrite, secret sync, status,
    /// Events and metrics) for a volume that last fetched at least <paramref name="dueAfter"/> ago, with the publish
    /// the volume was last mounted with and, where the CSIDriver asks for them, fresh service-account tokens. A
    /// kubelet republish that arrives meanwhile waits on the lock and then finds the volume not due.
    /// </summary>
    public async Task<PublishOutcome?> RotateIfDueAsync(string target, TimeSpan dueAfter, CancellationToken cancellationToken)
    {
        RestoreVolumes();
        using var _ = await _locks.AcquireAsync(target, cancellationToken).ConfigureAwait(false);
        if (!_requests.TryGetValue(target, out var request) || !_volumes.ContainsKey(target))
        {
            return null; // unpublished since the reconciler listed it
        }
        MountPointState state;
        try
        {
            state = _mounter.GetState(target);
        }
        catch (IOException)
        {
            state = MountPointState.Corrupted;
        }
        if (state != MountPointState.Mounted)
        {
            return null; // kubelet's next publish repairs or remounts it
        }
        if (SinceLastFetch(target) < dueAfter)
        {
            return PublishOutcome.AlreadyMounted;
        }
        try
        {
            var tokens = await _tokens.GetTokensAsync(Pod(request), request.VolumeContext.GetValueOrDefault(VolumeContextKeys.ServiceAccountName, string.Empty), cancellationToken).ConfigureAwait(false);
            if (tokens is not null)
            {
                var context = new Dictionary<string, string>(request.VolumeContext, StringComparer.Ordinal) { [VolumeContextKeys.ServiceAccountTokens] = tokens };
                request = request with { VolumeContext = context };
            }
        }
        catch (SecretsStoreException e)
        {
            _metrics.RotationReconcileError.Inc(_volumes.TryGetValue(target, out var v) ? v.Provider : string.Empty, _metrics.OsType, e.MetricErrorType);
            DriverLog.RotationFailed(_logger, request.VolumeId, request.PodNamespace, request.PodName, e.Reason.ToString(), e.Message);
            await _events.RecordAsync(new PodEvent(Pod(request), PodEvent.Warning, PodEvent.SecretRotationFailed, $"failed to rotate mounted contents for SecretProviderClass {request.PodNamespace}/{request.SecretProviderClass} ({e.Reason}), keeping the last good content: {e.Message}", PodEvent.RotationComponent), cancellationToken).ConfigureAwait(false);
            return PublishOutcome.RotationFailed;
        }
        var outcome = await RepublishAsync(request, target, dueAfter, cancellationToken).ConfigureAwait(false);
        _requests[target] = WithoutTokens(request);
        return outcome;
    }

    private static PublishVolumeRequest WithoutTokens(PublishVolumeRequest request)
        => request.VolumeContext.ContainsKey(VolumeContextKeys.ServiceAccountTokens) || request.Secrets.ContainsKey(VolumeContextKeys.ServiceAccountTokens)
            ? request with
            {
                VolumeContext = request.VolumeContext.Where(p => p.Key != VolumeContextKeys.ServiceAccountTokens).ToDictionary(StringComparer.Ordinal),
                Secrets = request.Secrets.Where(p => p.Key != VolumeContextKeys.ServiceAccountTokens).ToDictionary(StringComparer.Ordinal),
            }
            : request;

    private int RestoreVolumesFromState()
    {
        if (_state is null)
        {
            return 0;
        }
        try
        {
            return RestoreVolumesFrom(_state);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without the state the driver works as before it had any: the first republish of each volume fetches.
            DriverLog.VolumeStateFailed(_logger, _state.StateDirectory, $"could not be read: {e.Message}");
            return 0;
        }
    }

    private int RestoreVolumesFrom(VolumeStateStore store)
    {
        var restored = 0;
        var dropped = 0;
        foreach (var (path, record, error) in store.ReadAll())
        {
            if (record is null)
            {
                DriverLog.VolumeStateFailed(_logger, path, $"unreadable, removed: {error}");
                TryDelete(path);
                dropped++;
                continue;
            }
            MountPointState state;
            try
            {
                state = _mounter.GetState(record.TargetPath);
            }
            catch (IOException)
            {
                state = MountPointState.Corrupted;
            }
            if (state != MountPointState.Mounted)
            {
                // A corrupted mount keeps its metadata: the next publish cleans the mount and writes it again.
                if (state is MountPointState.Missing or MountPointState.NotMounted)
                {
                    TryDelete(path);
                    dropped++;
                }
                continue;
            }
            var age = _time.GetUtcNow() - record.LastFetch;
            age = age < TimeSpan.Zero ? TimeSpan.Zero : age > _settings.RotationPollInterval ? _settings.RotationPollInterval : age;
            var lastFetchTimestamp = _time.GetTimestamp() - (long)(age.TotalSeconds * _time.TimestampFrequency);
            var objects = record.Objects.Select(o => new ObjectVersionRecord(o.Id, o.Version)).ToArray();
            _volumes[record.TargetPath] = new MountedVolume(record.VolumeId, record.Provider, record.LastFetch, lastFetchTimestamp, objects);
            if (!record.HasNodePublishSecrets)
            {
                // The nodePublishSecretRef's content is never written outside the tmpfs: such a volume rotates again on kubelet's next republish.
                _requests[record.TargetPath] = new PublishVolumeRequest(
                    record.VolumeId, record.TargetPath, record.VolumeAttributes.GetValueOrDefault(PublishVolumeRequest.SecretProviderClassKey, record.SecretProviderClass),
                    record.PodName, record.PodNamespace, record.PodUid, new Dictionary<string, string>(record.VolumeAttributes, StringComparer.Ordinal), new Dictionary<string, string>(StringComparer.Ordinal));
            }
            _classes.Retain(record.TargetPath, record.PodNamespace, record.SecretProviderClass);
            restored++;
        }
        DriverLog.VolumesRestored(_logger, restored, store.StateDirectory, dropped);
        return restored;
    }

    private void SaveState(PublishVolumeRequest request, SecretProviderClass spc, string target)
    {
        if (_state is null || !_volumes.TryGetValue(target, out var volume))
        {
            return;
        }
        var record = new VolumeRecord
        {
            TargetPath = target,
            VolumeId = request.VolumeId,
            PodName = request.PodName,
            PodNamespace = request.PodNamespace,
            PodUid = request.PodUid,
            ServiceAccountName = request.VolumeContext.GetValueOrDefault(VolumeContextKeys.ServiceAccountName, string.Empty),
            SecretProviderClass = spc.Name,
            Provider = spc.Provider,
            LastFetch = volume.LastFetch,
            HasNodePublishSecrets = request.Secrets.Keys.Any(k => k != VolumeContextKeys.ServiceAccountTokens),
            Objects = [.. volume.Objects.Select(o => new VolumeRecordObject { Id = o.Id, Version = o.Version })],
        };
        foreach (var (key, value) in request.VolumeContext.Where(a => a.Key != VolumeContextKeys.ServiceAccountTokens))
        {
            record.VolumeAttributes[key] = value;
        }
        try
        {
            _state.Save(record);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only a restart loses by it (the first republish after it fetches): not worth failing a mount.
            DriverLog.VolumeStateFailed(_logger, _state.PathOf(target), $"could not be written: {e.Message}");
        }
    }

    private void DeleteState(string target)
    {
        if (_state is not null)
        {
            TryDelete(_state.PathOf(target));
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            System.IO.File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DriverLog.VolumeStateFailed(_logger, path, $"could not be removed: {e.Message}");
        }
    }

    private MountPointState EnsureHealthyMountPoint(string target)
    {
        try
        {
            var state = _mounter.GetState(target);
            if (state != MountPointState.Corrupted)
            {
                return state;
            }
            DriverLog.CorruptedMountCleaned(_logger, target);
            _mounter.Unmount(target);
            _volumes.TryRemove(target, out var _);
            return Directory.Exists(target) ? MountPointState.NotMounted : MountPointState.Missing;
        }
        catch (IOException e)
        {
            throw new SecretsStoreException(ErrorReason.FailedToEnsureMountPoint, $"could not inspect the target path {target}: {e.Message}", e);
        }
    }

    private async Task<PublishOutcome> RepublishAsync(PublishVolumeRequest request, string target, TimeSpan dueAfter, CancellationToken cancellationToken)
    {
        _volumes.TryGetValue(target, out var volume);
        // The monotonic clock: a wall clock stepped back (NTP, VM resume) must not stop rotation, nor one stepped forward hurry it.
        if (!_settings.RotationEnabled || (volume is not null && _time.GetElapsedTime(volume.LastFetchTimestamp) < dueAfter))
        {
            DriverLog.PublishSkipped(_logger, request.VolumeId, target);
            return PublishOutcome.AlreadyMounted;
        }

        var started = _time.GetTimestamp();
        var provider = volume?.Provider ?? string.Empty;
        using var rotation = _rotations.Start(target, cancellationToken);
        var token = rotation.Token;
        try
        {
            var spc = await ResolveAsync(request, token).ConfigureAwait(false);
            provider = spc.Provider;
            var result = await FetchAndWriteAsync(request, spc, target, volume?.Objects ?? [], token).ConfigureAwait(false);
            _metrics.RotationReconcile.Inc(provider, _metrics.OsType, result.Changed ? "true" : "false");
            SaveState(request, spc, target);
            // Also when the files did not change: a Secret declared or edited since the last sync is written now.
            var synced = await _secretSync.SyncAsync(new SecretSyncRequest(target, Pod(request), spc), token).ConfigureAwait(false);
            if (result.Changed)
            {
                DriverLog.Rotated(_logger, request.VolumeId, request.PodNamespace, request.PodName, result.Written.Count, result.Kept.Count, result.Removed.Count);
                var secrets = synced.Synced.Count == 0 ? string.Empty : " and Secret(s) " + string.Join(", ", synced.Synced);
                var message = $"successfully rotated mounted contents{secrets} for SecretProviderClass {spc.QualifiedName}";
                await _events.RecordAsync(new PodEvent(Pod(request), PodEvent.Normal, PodEvent.SecretRotationComplete, message, PodEvent.RotationComponent), cancellationToken).ConfigureAwait(false);
            }
            _metrics.RotationReconcileDuration.Observe(_time.GetElapsedTime(started).TotalSeconds, _metrics.OsType);
            return PublishOutcome.Rotated;
        }
        catch (Exception e) when (e is OperationCanceledException or SecretsStoreException && rotation.CancelledByUnpublish)
        {
            // The volume is going away: not a failure (no metric, no Event), and nothing was written after the cancel.
            DriverLog.RotationCancelled(_logger, request.VolumeId, target);
            return PublishOutcome.RotationCancelled;
        }
        catch (SecretsStoreException e)
        {
            _metrics.RotationReconcileError.Inc(provider, _metrics.OsType, e.MetricErrorType);
            _metrics.RotationReconcileDuration.Observe(_time.GetElapsedTime(started).TotalSeconds, _metrics.OsType);
            DriverLog.RotationFailed(_logger, request.VolumeId, request.PodNamespace, request.PodName, e.Reason.ToString(), e.Message);
            var message = $"failed to rotate mounted contents for SecretProviderClass {request.PodNamespace}/{request.SecretProviderClass} ({e.Reason}), keeping the last good content: {e.Message}";
            await _events.RecordAsync(new PodEvent(Pod(request), PodEvent.Warning, PodEvent.SecretRotationFailed, message, PodEvent.RotationComponent), cancellationToken).ConfigureAwait(false);
            return PublishOutcome.RotationFailed;
        }
    }

    private async Task<AtomicWriteResult> MountAsync(PublishVolumeRequest request, SecretProviderClass spc, string target, MountPointState state, CancellationToken cancellationToken)
    {
        var createdTarget = false;
        try
        {
            if (state == MountPointState.Missing)
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(target);
                }
                else
                {
                    Directory.CreateDirectory(target, TargetDirectoryMode);
                }
                createdTarget = true;
            }
            _mounter.MountTmpfs(target, _settings.TmpfsMode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RemoveTarget(target, createdTarget);
            throw new SecretsStoreException(ErrorReason.FailedToMount, $"could not mount a tmpfs at {target}: {e.Message}", e);
        }

        try
        {
            var result = await FetchAndWriteAsync(request, spc, target, [], cancellationToken).ConfigureAwait(false);
            // Before returning, so that containers reading the Secret (env, volumes) find it; a failure is an Event, not a failed mount.
            await _secretSync.SyncAsync(new SecretSyncRequest(target, Pod(request), spc), cancellationToken).ConfigureAwait(false);
            // Kubelet gave up (its deadline): it retries from scratch, so this publish must leave nothing behind.
            cancellationToken.ThrowIfCancellationRequested();
            SaveState(request, spc, target);
            return result;
        }
        catch (Exception e)
        {
            // Leave nothing mounted and nothing recorded: kubelet's retry must be a first publish again.
            await UndoFirstPublishAsync(target, createdTarget).ConfigureAwait(false);
            if (e is SecretsStoreException)
            {
                throw;
            }
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            throw new SecretsStoreException(ErrorReason.FileWriteError, $"could not write the files into {target}: {e.Message}", e);
        }
    }

    private async Task UndoFirstPublishAsync(string target, bool createdTarget)
    {
        try
        {
            _mounter.Unmount(target);
            RemoveTarget(target, createdTarget);
        }
        catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
        {
            DriverLog.CleanupFailed(_logger, target, cleanup.Message);
        }
        _volumes.TryRemove(target, out var _);
        _requests.TryRemove(target, out var _);
        _classes.Release(target);
        DeleteState(target);
        // The caller's token may be the reason for this cleanup: the API objects go on a bounded token of their own.
        using var timeout = new CancellationTokenSource(CleanupTimeout);
        try
        {
            await _secretSync.ReleaseAsync(target, timeout.Token).ConfigureAwait(false);
            await _status.RemoveAsync(target, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception cleanup) when (cleanup is not OutOfMemoryException)
        {
            DriverLog.CleanupFailed(_logger, target, cleanup.Message);
        }
    }

    private async Task<AtomicWriteResult> FetchAndWriteAsync(PublishVolumeRequest request, SecretProviderClass spc, string target, IReadOnlyList<ObjectVersionRecord> currentVersions, CancellationToken cancellationToken)
    {
        var mountRequest = MountRequestBuilder.Build(spc, request, target, currentVersions);
        var response = await _providers.MountAsync(spc.Provider, mountRequest, _settings.ProviderTimeout, cancellationToken).ConfigureAwait(false);
        var objects = ValidateResponse(spc.Provider, response);
        // An answer that arrives after the caller gave up (or an unpublish began) is discarded unwritten.
        cancellationToken.ThrowIfCancellationRequested();

        AtomicWriteResult result;
        if (response.Files.Count == 0)
        {
            DriverLog.ProviderWroteFiles(_logger, spc.Provider, request.VolumeId);
            result = new AtomicWriteResult([], [], []);
        }
        else
        {
            var payload = response.Files.Select(f => new PayloadFile(f.Path, f.Contents.Memory, f.Mode)).ToArray();
            try
            {
                result = new AtomicWriter(target, _time).Write(payload);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SecretsStoreException(ErrorReason.FileWriteError, $"could not write the files into {target}: {e.Message}", e);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        await _status.RecordAsync(new PodStatusRecord(request.PodName, request.PodNamespace, request.PodUid, spc.Name, _settings.NodeId, target, Mounted: true, objects, [.. spc.SecretObjects.Select(s => s.SecretName)]), cancellationToken).ConfigureAwait(false);
        _volumes[target] = new MountedVolume(request.VolumeId, spc.Provider, _time.GetUtcNow(), _time.GetTimestamp(), objects);
        _requests[target] = WithoutTokens(request);
        _classes.Retain(target, request.PodNamespace, spc.Name);
        return result;
    }

    private static ObjectVersionRecord[] ValidateResponse(string provider, MountResponse response)
    {
        if (response.ObjectVersion.Count == 0)
        {
            throw new SecretsStoreException(ErrorReason.InvalidProviderResponse, $"provider {provider} returned no object versions; a provider must report a version for every object it mounts");
        }
        var problem = FilePathRules.Check(response.Files.Select(f => (f.Path, f.Mode)));
        if (problem is not null)
        {
            throw new SecretsStoreException(ErrorReason.InvalidProviderResponse, $"provider {provider} returned an unusable {problem}");
        }
        return response.ObjectVersion
            .Select(v => new ObjectVersionRecord(v.Id, v.Version))
            .OrderBy(v => v.Id, StringComparer.Ordinal)
            .ToArray();
    }

    private async Task<SecretProviderClass> ResolveAsync(PublishVolumeRequest request, CancellationToken cancellationToken)
    {
        var spc = await _classes.GetAsync(request.PodNamespace, request.SecretProviderClass, cancellationToken).ConfigureAwait(false)
            ?? throw new SecretsStoreException(ErrorReason.SecretProviderClassNotFound, $"SecretProviderClass {request.SecretProviderClass} not found in {_classes.Describe(request.PodNamespace)}; create it there or correct volumeAttributes.secretProviderClass");
        if (spc.Provider.Length == 0)
        {
            throw new SecretsStoreException(ErrorReason.InvalidSecretProviderClass, $"SecretProviderClass {spc.QualifiedName}: spec.provider is empty; name the provider, e.g. vault, azure or aws");
        }
        if (!ProviderClientPool.IsValidProviderName(spc.Provider))
        {
            throw new SecretsStoreException(ErrorReason.InvalidSecretProviderClass, $"SecretProviderClass {spc.QualifiedName}: spec.provider \"{spc.Provider}\" is not a valid provider name: use up to 30 letters, digits, '-' or '_'");
        }
        if (spc.Parameters.Count == 0)
        {
            throw new SecretsStoreException(ErrorReason.InvalidSecretProviderClass, $"SecretProviderClass {spc.QualifiedName}: spec.parameters is empty; the provider needs its parameters (such as objects)");
        }
        return spc;
    }

    private void RemoveEntries(string target)
    {
        foreach (var entry in new DirectoryInfo(target).EnumerateFileSystemInfos())
        {
            try
            {
                if (entry.LinkTarget is null && entry is DirectoryInfo directory)
                {
                    directory.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                DriverLog.RemoveEntryFailed(_logger, entry.FullName, e.Message);
            }
        }
    }

    private static void RemoveTarget(string target, bool createdTarget)
    {
        if (createdTarget && Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }
    }

    private static PodReference Pod(PublishVolumeRequest request) => new(request.PodNamespace, request.PodName, request.PodUid);

    public static string NormalizeTarget(string path)
    {
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            // GetFullPath has already turned '/' into '\' and collapsed repeats; a drive's root keeps its separator.
            return Path.TrimEndingDirectorySeparator(full);
        }
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }
}
