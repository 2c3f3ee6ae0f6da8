using System.Collections.Concurrent;
using Csi.Common.Concurrency;
using Csi.Kubernetes;
using Csi.Kubernetes.Models;
using SecretsStore.Driver.Diagnostics;
using SecretsStore.Driver.Events;
using SecretsStore.Driver.Kubernetes;
using SecretsStore.Driver.Kubernetes.Models;
using SecretsStore.Driver.SecretProviderClasses;

namespace SecretsStore.Driver.SecretSync;

/// <summary>
/// spec.secretObjects as Kubernetes Secrets, written when a volume is published or rotated, from the files it
/// mounted. Each pod that mounts a class owns its Secrets (one ownerReference per pod, merged with the others'),
/// so a Secret lives as long as the last of them. A Secret whose content and owner this volume already wrote
/// costs no API call; one whose write fails gets a Warning Event on the pod and is tried again on the next
/// rotation or relist. The Secrets mounted volumes still need are what <see cref="ManagedSecretWatch"/> restores.
/// </summary>
public sealed class KubernetesSecretSync : ISecretSync, IDisposable
{

    private readonly KubernetesApiClient _api;
    private readonly IPodEventRecorder _events;
    private readonly DriverMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly KeyedLock _secretLocks = new();
    private readonly ConcurrentDictionary<string, SyncedVolume> _volumes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _needsChanged = new(0);
    private readonly SecretOwner _ownerMode;

    public KubernetesSecretSync(KubernetesApiClient api, IPodEventRecorder events, DriverMetrics metrics, ILogger<KubernetesSecretSync> logger, TimeProvider time, SecretOwner owner = SecretOwner.Pod)
    {
        _ownerMode = owner;
        _api = api;
        _events = events;
        _metrics = metrics;
        _logger = logger;
        _time = time;
    }

    private static ApiResource Resource => ApiResource.Secrets;

    public void Dispose() => _needsChanged.Dispose();

    /// <summary>
    /// The Secrets (namespace, name) that volumes mounted on this node declare and have written. One that never
    /// synced is not restored by the watch: its failure is an Event, and the next rotation tries again.
    /// </summary>
    public IReadOnlySet<(string Namespace, string Name)> NeededSecrets()
        => _volumes.Values.SelectMany(v => v.Applied.Keys.Select(name => (v.Pod.Namespace, name))).ToHashSet();

    /// <summary>Waits until the set of needed Secrets may have changed.</summary>
    public Task WaitForNeedsChangeAsync(CancellationToken cancellationToken) => _needsChanged.WaitAsync(cancellationToken);

    public async Task<SecretSyncResult> SyncAsync(SecretSyncRequest request, CancellationToken cancellationToken)
    {
        var target = request.TargetPath;
        var dropped = new List<string>();
        if (request.Class.SecretObjects.Count == 0)
        {
            if (_volumes.TryRemove(target, out var gone))
            {
                dropped.AddRange(gone.Applied.Keys);
                _needsChanged.Release();
                await DeleteUndeclaredAsync(gone.Pod, request.Class.Name, dropped, cancellationToken).ConfigureAwait(false);
            }
            return SecretSyncResult.None;
        }
        var volume = _volumes.AddOrUpdate(
            target,
            _ => new SyncedVolume(target, request.Pod, request.Class),
            (_, known) => known.Pod == request.Pod ? known.With(request.Class, dropped) : new SyncedVolume(target, request.Pod, request.Class));
        await DeleteUndeclaredAsync(volume.Pod, request.Class.Name, dropped, cancellationToken).ConfigureAwait(false);
        volume.Owner ??= await OwnerForAsync(request.Pod, cancellationToken).ConfigureAwait(false);

        var synced = new List<string>();
        var failed = new List<string>();
        foreach (var spec in request.Class.SecretObjects)
        {
            var name = await SyncOneAsync(volume, spec, force: false, cancellationToken).ConfigureAwait(false);
            (name.Ok ? synced : failed).Add(name.SecretName);
        }
        _needsChanged.Release(); // after the writes, so that the watch's first list already sees them
        return new SecretSyncResult(synced, failed);
    }

    public async Task ReleaseAsync(string targetPath, CancellationToken cancellationToken)
    {
        if (!_volumes.TryRemove(targetPath, out var volume))
        {
            return;
        }
        _needsChanged.Release();
        if (volume.Owner is { Kind: not "Pod" })
        {
            return; // owned by the controller: it outlives this pod, and the garbage collector takes it with the controller
        }
        var stillMounted = _volumes.Values.Where(v => v.Pod == volume.Pod).SelectMany(v => v.SecretObjects).Select(s => s.SecretName).ToHashSet(StringComparer.Ordinal);
        foreach (var name in volume.Applied.Keys.Where(n => !stillMounted.Contains(n)))
        {
            try
            {
                using var _ = await _secretLocks.AcquireAsync(Key(volume.Pod.Namespace, name), cancellationToken).ConfigureAwait(false);
                await RemoveOwnerAsync(volume.Pod, name, cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e)
            {
                // The garbage collector drops a reference to a deleted pod from a Secret that still has live owners.
                DriverLog.SecretOwnerReleaseFailed(_logger, volume.Pod.Namespace, name, volume.Pod.Name, e.Message);
            }
        }
    }

    /// <summary>
    /// A Secret that mounted volumes need was deleted (or is missing after a relist): writes it again from each
    /// volume that declares it, so that it comes back with current content and every owner.
    /// </summary>
    public async Task RestoreAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        foreach (var volume in _volumes.Values.Where(v => v.Pod.Namespace == @namespace && v.Applied.ContainsKey(name)))
        {
            foreach (var spec in volume.SecretObjects.Where(s => s.SecretName == name))
            {
                if (!Directory.Exists(volume.TargetPath) || !await PodExistsAsync(volume.Pod, cancellationToken).ConfigureAwait(false))
                {
                    continue; // unpublished in between, or the pod is gone and the garbage collector took its Secret
                }
                var result = await SyncOneAsync(volume, spec, force: true, cancellationToken).ConfigureAwait(false);
                if (result.Ok)
                {
                    DriverLog.SecretRestored(_logger, @namespace, name, volume.Pod.Name);
                }
            }
        }
    }

    private async Task<bool> PodExistsAsync(PodReference pod, CancellationToken cancellationToken)
    {
        try
        {
            var found = await _api.GetAsync(ApiResource.Pods, pod.Namespace, pod.Name, KubernetesJsonContext.Default.ObjectMetadataResource, cancellationToken).ConfigureAwait(false);
            return found is not null && (pod.Uid.Length == 0 || found.Metadata.Uid == pod.Uid);
        }
        catch (KubernetesApiException e)
        {
            DriverLog.SecretSyncFailed(_logger, pod.Namespace, "(restore)", pod.Name, e.Message);
            return false;
        }
    }

    private async Task<(bool Ok, string SecretName)> SyncOneAsync(SyncedVolume volume, SecretObject spec, bool force, CancellationToken cancellationToken)
    {
        var pod = volume.Pod;
        var displayName = spec.SecretName.Length > 0 ? spec.SecretName : "(no secretName)";
        var started = _time.GetTimestamp();
        try
        {
            var desired = SyncedSecretBuilder.Build(spec, volume.ClassName, path => ReadMounted(volume.TargetPath, path), () => DescribeMounted(volume.TargetPath));
            var fingerprint = desired.Fingerprint();
            if (!force && volume.Applied.TryGetValue(desired.Name, out var applied) && applied == fingerprint)
            {
                return (true, desired.Name);
            }
            using (await _secretLocks.AcquireAsync(Key(pod.Namespace, desired.Name), cancellationToken).ConfigureAwait(false))
            {
                await ApplyAsync(pod, volume.Owner, desired, cancellationToken).ConfigureAwait(false);
            }
            volume.Applied[desired.Name] = fingerprint;
            _metrics.SyncK8sSecret.Inc(volume.Provider, _metrics.OsType);
            _metrics.SyncK8sSecretDuration.Observe(_time.GetElapsedTime(started).TotalSeconds, _metrics.OsType);
            DriverLog.SecretSynced(_logger, pod.Namespace, desired.Name, pod.Name, volume.ClassName, desired.Data.Count);
            return (true, desired.Name);
        }
        catch (SecretSyncException e)
        {
            volume.Applied.TryRemove(displayName, out _);
            DriverLog.SecretSyncFailed(_logger, pod.Namespace, displayName, pod.Name, e.Message);
            var message = $"failed to sync Secret {displayName} for SecretProviderClass {volume.ClassName}: {e.Message}";
            await _events.RecordAsync(new PodEvent(pod, PodEvent.Warning, PodEvent.FailedToCreateSecret, message, PodEvent.SyncComponent), cancellationToken).ConfigureAwait(false);
            return (false, displayName);
        }
    }

    /// <summary>
    /// The owner of the Secrets this pod's volume writes: the pod, or under --secret-owner=controller its controlling
    /// ReplicaSet, StatefulSet or DaemonSet (read from the pod; a pod without one, or that cannot be read, owns them itself).
    /// </summary>
    private async Task<OwnerReference?> OwnerForAsync(PodReference pod, CancellationToken cancellationToken)
    {
        if (pod.Uid.Length == 0)
        {
            return null;
        }
        var own = OwnerReferenceList.ForPod(pod.Name, pod.Uid);
        if (_ownerMode == SecretOwner.Pod)
        {
            return own;
        }
        try
        {
            var found = await _api.GetAsync(ApiResource.Pods, pod.Namespace, pod.Name, KubernetesJsonContext.Default.ObjectMetadataResource, cancellationToken).ConfigureAwait(false);
            if (found is not null && found.Metadata.Uid == pod.Uid && OwnerReferenceList.ControllerOf(found.Metadata.OwnerReferences) is { } controller)
            {
                return controller;
            }
        }
        catch (KubernetesApiException e)
        {
            DriverLog.SecretOwnerLookupFailed(_logger, pod.Namespace, pod.Name, e.Message);
        }
        return own;
    }

    /// <summary>
    /// Secrets a class stopped declaring: deleted once no mounted volume declares them, on this node (its own volumes,
    /// in memory) or on any other (the SecretProviderClassPodStatus objects in the namespace, one list per decision,
    /// each naming the Secrets its volume's class declared when last mounted or rotated), and only when they carry the
    /// managed label and only owners the driver writes (a Secret someone else also owns or adopted is left alone).
    /// A pod on another node whose class cache still holds the old version keeps the Secret until it rotates too; the
    /// last volume to drop it deletes it.
    /// </summary>
    private async Task DeleteUndeclaredAsync(PodReference pod, string className, List<string> names, CancellationToken cancellationToken)
    {
        IReadOnlyList<SecretProviderClassPodStatusResource>? statuses = null;
        foreach (var name in names)
        {
            if (_volumes.Values.Any(v => v.Pod.Namespace == pod.Namespace && v.SecretObjects.Any(s => s.SecretName == name)))
            {
                continue;
            }
            try
            {
                using var _ = await _secretLocks.AcquireAsync(Key(pod.Namespace, name), cancellationToken).ConfigureAwait(false);
                statuses ??= (await _api.ListAsync(SecretsStoreResources.SecretProviderClassPodStatusesV1, pod.Namespace, null, null, SecretsStoreJsonContext.Default.ResourceListSecretProviderClassPodStatusResource, cancellationToken).ConfigureAwait(false)).Items;
                if (StillDeclared(statuses, className, name) is { } holder)
                {
                    var unknown = PodStatusMapping.SecretNames(holder) is null ? " (it does not say which Secrets it declares, and mounts the same class)" : string.Empty;
                    var node = holder.Metadata.Labels?.GetValueOrDefault(PodStatusMapping.NodeLabel) ?? "unknown";
                    DriverLog.UndeclaredSecretKept(_logger, pod.Namespace, name, holder.Metadata.Name ?? string.Empty, node, unknown);
                    continue;
                }
                var existing = await _api.GetAsync(Resource, pod.Namespace, name, KubernetesJsonContext.Default.SecretResource, cancellationToken).ConfigureAwait(false);
                if (existing is null
                    || existing.Metadata.Labels?.GetValueOrDefault(SyncedSecretBuilder.ManagedLabel) != "true"
                    || !OwnerReferenceList.OnlyDriverOwners(existing.Metadata.OwnerReferences))
                {
                    continue;
                }
                await _api.DeleteAsync(Resource, pod.Namespace, name, cancellationToken).ConfigureAwait(false);
                DriverLog.UndeclaredSecretDeleted(_logger, pod.Namespace, name);
            }
            catch (KubernetesApiException e)
            {
                // Left for its owners' garbage collection (or the next rotation's decision).
                DriverLog.SecretSyncFailed(_logger, pod.Namespace, name, pod.Name, e.Message);
            }
        }
    }

    /// <summary>
    /// A mounted volume's status that still declares the Secret: one naming it, or one of the same class that names
    /// nothing (written by a driver that does not record its Secrets: assume the old declaration).
    /// </summary>
    private static SecretProviderClassPodStatusResource? StillDeclared(IReadOnlyList<SecretProviderClassPodStatusResource> statuses, string className, string secretName)
        => statuses.FirstOrDefault(s => s.Status?.Mounted != false
            && (PodStatusMapping.SecretNames(s) is { } declared ? declared.Contains(secretName) : s.Status?.SecretProviderClassName == className));

    private async Task ApplyAsync(PodReference pod, OwnerReference? volumeOwner, DesiredSecret desired, CancellationToken cancellationToken)
    {
        var type = KubernetesJsonContext.Default.SecretResource;
        var owner = volumeOwner ?? OwnerReferenceList.ForPod(pod.Name, pod.Uid);
        try
        {
            await RetryOnConflict.RunAsync(
                async ct =>
                {
                    var existing = await _api.GetAsync(Resource, pod.Namespace, desired.Name, type, ct).ConfigureAwait(false);
                    if (existing is null)
                    {
                        var created = new SecretResource
                        {
                            Metadata = new ObjectMeta
                            {
                                Name = desired.Name,
                                Namespace = pod.Namespace,
                                Labels = new Dictionary<string, string>(desired.Labels, StringComparer.Ordinal),
                                Annotations = desired.Annotations.Count == 0 ? null : new Dictionary<string, string>(desired.Annotations, StringComparer.Ordinal),
                                OwnerReferences = pod.Uid.Length == 0 ? null : [owner],
                            },
                            Type = desired.Type,
                            Data = new Dictionary<string, byte[]>(desired.Data, StringComparer.Ordinal),
                        };
                        await _api.CreateAsync(Resource, pod.Namespace, created, type, ct).ConfigureAwait(false); // AlreadyExists: another node's pod created it first; merge into theirs
                        return;
                    }
                    if (!string.IsNullOrEmpty(existing.Type) && existing.Type != desired.Type)
                    {
                        throw new SecretSyncException($"Secret {pod.Namespace}/{desired.Name} exists with type {existing.Type}, and the type of a Secret cannot change; delete the Secret (the driver re-creates it) or declare type {existing.Type}");
                    }
                    if (Merge(existing, desired, pod.Uid.Length == 0 ? null : owner))
                    {
                        await _api.UpdateAsync(Resource, pod.Namespace, desired.Name, existing, type, ct).ConfigureAwait(false);
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e)
        {
            var hint = e.StatusCode == 403
                ? $"; grant the driver's service account get, create and update on secrets in namespace {pod.Namespace} (Helm: syncSecret.enabled=true)"
                : string.Empty;
            throw new SecretSyncException($"could not write Secret {pod.Namespace}/{desired.Name}: {e.Message}{hint}", e);
        }
    }

    /// <summary>Applies the desired content and the owner onto the stored Secret; false when it already matched.</summary>
    private static bool Merge(SecretResource existing, DesiredSecret desired, OwnerReference? owner)
    {
        var changed = false;
        var meta = existing.Metadata;
        meta.Labels = Overlay(meta.Labels, desired.Labels, ref changed);
        meta.Annotations = Overlay(meta.Annotations, desired.Annotations, ref changed);
        if (owner is not null)
        {
            var owners = OwnerReferenceList.Add(meta.OwnerReferences, owner);
            changed |= !ReferenceEquals(owners, meta.OwnerReferences);
            meta.OwnerReferences = owners;
        }
        if (existing.Type != desired.Type)
        {
            existing.Type = desired.Type;
            changed = true;
        }
        var data = existing.Data ?? [];
        if (data.Count != desired.Data.Count || desired.Data.Any(d => !data.TryGetValue(d.Key, out var v) || !v.AsSpan().SequenceEqual(d.Value)))
        {
            existing.Data = new Dictionary<string, byte[]>(desired.Data, StringComparer.Ordinal);
            changed = true;
        }
        return changed;
    }

    private static Dictionary<string, string>? Overlay(Dictionary<string, string>? current, IReadOnlyDictionary<string, string> wanted, ref bool changed)
    {
        if (wanted.Count == 0)
        {
            return current;
        }
        current ??= new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in wanted)
        {
            if (!current.TryGetValue(key, out var have) || have != value)
            {
                current[key] = value;
                changed = true;
            }
        }
        return current;
    }

    private async Task RemoveOwnerAsync(PodReference pod, string name, CancellationToken cancellationToken)
    {
        var type = KubernetesJsonContext.Default.SecretResource;
        await RetryOnConflict.RunAsync(
            async ct =>
            {
                var existing = await _api.GetAsync(Resource, pod.Namespace, name, type, ct).ConfigureAwait(false);
                var owners = existing is null ? null : OwnerReferenceList.RemoveUnlessLast(existing.Metadata.OwnerReferences, pod.Uid);
                if (owners is null)
                {
                    return; // gone, not ours, or ours alone: the garbage collector takes it with the pod
                }
                existing!.Metadata.OwnerReferences = owners;
                await _api.UpdateAsync(Resource, pod.Namespace, name, existing, type, ct).ConfigureAwait(false);
                DriverLog.SecretOwnerReleased(_logger, pod.Namespace, name, pod.Name, owners.Count);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static byte[]? ReadMounted(string target, string relativePath)
    {
        try
        {
            var path = Path.Combine(target, relativePath);
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string DescribeMounted(string target)
    {
        try
        {
            var names = Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName).Where(n => n is not null && !n.StartsWith("..", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            return names.Count == 0 ? "no files are mounted"
                : "mounted: " + string.Join(", ", names.Take(20)) + (names.Count > 20 ? $", and {names.Count - 20} more" : string.Empty);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "the volume cannot be read";
        }
    }

    private static string Key(string @namespace, string name) => @namespace + "/" + name;

    /// <summary>One mounted volume whose class declares Secrets, and the fingerprint of what it last wrote to each.</summary>
    private sealed class SyncedVolume(string targetPath, PodReference pod, SecretProviderClass spc)
    {
        public string TargetPath { get; } = targetPath;

        public PodReference Pod { get; } = pod;

        public string ClassName { get; private set; } = spc.QualifiedName;

        public string Provider { get; private set; } = spc.Provider;

        public IReadOnlyList<SecretObject> SecretObjects { get; private set; } = spc.SecretObjects;

        public ConcurrentDictionary<string, string> Applied { get; } = new(StringComparer.Ordinal);

        /// <summary>The owner its Secrets get: the pod, or its controller; null until the first sync resolves it.</summary>
        public OwnerReference? Owner { get; set; }

        public SyncedVolume With(SecretProviderClass spc, List<string> dropped)
        {
            ClassName = spc.QualifiedName;
            Provider = spc.Provider;
            SecretObjects = spc.SecretObjects;
            foreach (var name in Applied.Keys.Where(name => !spc.SecretObjects.Any(s => s.SecretName == name)))
            {
                Applied.TryRemove(name, out _); // no longer declared: the watch stops restoring it, and it may go
                dropped.Add(name);
            }
            return this;
        }
    }
}
