
namespace SecretsStore.Driver.Diagnostics;

/// <summary>
/// Every log line the driver writes. Arguments are ids, names, paths, counts and error texts the driver
/// composed itself; never a secret, a token or file content.
/// </summary>
internal static partial class DriverLog
{
    [LoggerMessage(EventId = 1, EventName = "DriverStarted", Level = LogLevel.Information, Message = "driver {DriverName} {Version} serving CSI on {SocketPath}, node {NodeId}, rotation {RotationEnabled}, at most every {RotationInterval}")]
    public static partial void Started(ILogger logger, string driverName, string version, string socketPath, string nodeId, bool rotationEnabled, string rotationInterval);

    [LoggerMessage(EventId = 10, EventName = "VolumePublished", Level = LogLevel.Information, Message = "published volume {VolumeId} for pod {PodNamespace}/{PodName} from {SecretProviderClass} via provider {Provider}: {Written} files written, {Kept} unchanged, {DurationMs} ms")]
    public static partial void Published(ILogger logger, string volumeId, string podNamespace, string podName, string secretProviderClass, string provider, int written, int kept, long durationMs);

    [LoggerMessage(EventId = 11, EventName = "PublishSkipped", Level = LogLevel.Debug, Message = "volume {VolumeId} at {TargetPath} is mounted and not due for rotation")]
    public static partial void PublishSkipped(ILogger logger, string volumeId, string targetPath);

    [LoggerMessage(EventId = 12, EventName = "PublishFailed", Level = LogLevel.Error, Message = "publish of volume {VolumeId} for pod {PodNamespace}/{PodName} failed ({Reason}): {Error}")]
    public static partial void PublishFailed(ILogger logger, string volumeId, string podNamespace, string podName, string reason, string error);

    [LoggerMessage(EventId = 13, EventName = "VolumeRotated", Level = LogLevel.Information, Message = "rotated volume {VolumeId} for pod {PodNamespace}/{PodName}: {Written} files written, {Kept} unchanged, {Removed} removed")]
    public static partial void Rotated(ILogger logger, string volumeId, string podNamespace, string podName, int written, int kept, int removed);

    [LoggerMessage(EventId = 14, EventName = "RotationFailed", Level = LogLevel.Warning, Message = "rotation of volume {VolumeId} for pod {PodNamespace}/{PodName} failed ({Reason}), keeping the mounted content: {Error}")]
    public static partial void RotationFailed(ILogger logger, string volumeId, string podNamespace, string podName, string reason, string error);

    [LoggerMessage(EventId = 15, EventName = "CorruptedMountCleaned", Level = LogLevel.Warning, Message = "target {TargetPath} was a mount that no longer answers; unmounted it before mounting again")]
    public static partial void CorruptedMountCleaned(ILogger logger, string targetPath);

    [LoggerMessage(EventId = 16, EventName = "CleanupFailed", Level = LogLevel.Error, Message = "could not clean up {TargetPath} after a failed publish: {Error}")]
    public static partial void CleanupFailed(ILogger logger, string targetPath, string error);

    [LoggerMessage(EventId = 17, EventName = "ProviderWroteFiles", Level = LogLevel.Information, Message = "provider {Provider} returned no files for volume {VolumeId}; assuming it wrote them itself (legacy providers)")]
    public static partial void ProviderWroteFiles(ILogger logger, string provider, string volumeId);

    [LoggerMessage(EventId = 20, EventName = "VolumeUnpublished", Level = LogLevel.Information, Message = "unpublished volume {VolumeId} at {TargetPath}")]
    public static partial void Unpublished(ILogger logger, string volumeId, string targetPath);

    [LoggerMessage(EventId = 21, EventName = "UnpublishFailed", Level = LogLevel.Error, Message = "unpublish of volume {VolumeId} at {TargetPath} failed: {Error}")]
    public static partial void UnpublishFailed(ILogger logger, string volumeId, string targetPath, string error);

    [LoggerMessage(EventId = 22, EventName = "RemoveEntryFailed", Level = LogLevel.Warning, Message = "could not remove {Path} before unmounting: {Error}")]
    public static partial void RemoveEntryFailed(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 23, EventName = "HandlerFailed", Level = LogLevel.Error, Message = "{Method} failed unexpectedly with {ExceptionType}: {Error}")]
    public static partial void HandlerFailed(ILogger logger, string method, string exceptionType, string error);

    [LoggerMessage(EventId = 24, EventName = "RotationCancelled", Level = LogLevel.Information, Message = "rotation of volume {VolumeId} at {TargetPath} cancelled: the volume is being unpublished")]
    public static partial void RotationCancelled(ILogger logger, string volumeId, string targetPath);

    [LoggerMessage(EventId = 25, EventName = "VolumesRestored", Level = LogLevel.Information, Message = "found {Count} volume(s) mounted before the driver started, from the state in {StateDirectory}; {Dropped} stale state file(s) removed")]
    public static partial void VolumesRestored(ILogger logger, int count, string stateDirectory, int dropped);

    [LoggerMessage(EventId = 26, EventName = "VolumeStateFailed", Level = LogLevel.Warning, Message = "volume state {Path}: {Error}")]
    public static partial void VolumeStateFailed(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 30, EventName = "ManifestLoaded", Level = LogLevel.Information, Message = "loaded {Count} SecretProviderClass(es) from {Path}")]
    public static partial void ManifestLoaded(ILogger logger, string path, int count);

    [LoggerMessage(EventId = 31, EventName = "ManifestInvalid", Level = LogLevel.Error, Message = "invalid SecretProviderClass manifest {Path}: {Error}; keeping the {Kept} class(es) it defined before")]
    public static partial void ManifestInvalid(ILogger logger, string path, string error, int kept);

    [LoggerMessage(EventId = 32, EventName = "ManifestDuplicate", Level = LogLevel.Warning, Message = "SecretProviderClass {Name} in {Path} is already defined in {First}; the first definition wins")]
    public static partial void ManifestDuplicate(ILogger logger, string name, string path, string first);

    [LoggerMessage(EventId = 40, EventName = "PodStatusRecorded", Level = LogLevel.Debug, Message = "pod status for {PodNamespace}/{PodName} volume at {TargetPath}: {ObjectCount} objects")]
    public static partial void PodStatusRecorded(ILogger logger, string podNamespace, string podName, string targetPath, int objectCount);

    [LoggerMessage(EventId = 50, EventName = "ProviderHealthy", Level = LogLevel.Information, Message = "provider {Provider} at {SocketPath} answers: {RuntimeName} {RuntimeVersion}, API {ApiVersion}")]
    public static partial void ProviderHealthy(ILogger logger, string provider, string socketPath, string runtimeName, string runtimeVersion, string apiVersion);

    [LoggerMessage(EventId = 51, EventName = "ProviderUnhealthy", Level = LogLevel.Warning, Message = "provider {Provider} at {SocketPath} does not answer Version: {Error}")]
    public static partial void ProviderUnhealthy(ILogger logger, string provider, string socketPath, string error);

    [LoggerMessage(EventId = 52, EventName = "ProviderResponseTooLarge", Level = LogLevel.Warning, Message = "provider {Provider} answered with more than --max-call-recv-msg-size bytes; raise the flag or mount fewer objects")]
    public static partial void ProviderResponseTooLarge(ILogger logger, string provider);

    [LoggerMessage(EventId = 2, EventName = "KubernetesApiConfigured", Level = LogLevel.Information, Message = "SecretProviderClasses and pod statuses through the Kubernetes API at {Server} ({Origin}), at most {Qps} requests/s, burst {Burst}")]
    public static partial void KubernetesApiConfigured(ILogger logger, Uri server, string origin, double qps, int burst);

    [LoggerMessage(EventId = 33, EventName = "SecretProviderClassFetched", Level = LogLevel.Debug, Message = "fetched SecretProviderClass {Namespace}/{Name} from the API: found {Found}")]
    public static partial void SecretProviderClassFetched(ILogger logger, string @namespace, string name, bool found);

    [LoggerMessage(EventId = 41, EventName = "PodStatusCreated", Level = LogLevel.Information, Message = "created SecretProviderClassPodStatus {Namespace}/{Name}")]
    public static partial void PodStatusCreated(ILogger logger, string @namespace, string name);

    [LoggerMessage(EventId = 42, EventName = "PodStatusTakenOver", Level = LogLevel.Information, Message = "SecretProviderClassPodStatus {Namespace}/{Name} already exists (node label \"{PreviousNode}\"); updating it for this node")]
    public static partial void PodStatusTakenOver(ILogger logger, string @namespace, string name, string previousNode);

    [LoggerMessage(EventId = 43, EventName = "PodStatusDeleted", Level = LogLevel.Information, Message = "deleted SecretProviderClassPodStatus {Namespace}/{Name}")]
    public static partial void PodStatusDeleted(ILogger logger, string @namespace, string name);

    [LoggerMessage(EventId = 44, EventName = "PodStatusDeleteFailed", Level = LogLevel.Warning, Message = "could not delete the SecretProviderClassPodStatus of {TargetPath}; the pod's garbage collection will remove it: {Error}")]
    public static partial void PodStatusDeleteFailed(ILogger logger, string targetPath, string error);

    [LoggerMessage(EventId = 60, EventName = "SecretSynced", Level = LogLevel.Information, Message = "synced Secret {Namespace}/{SecretName} for pod {PodName} from {SecretProviderClass}: {KeyCount} keys")]
    public static partial void SecretSynced(ILogger logger, string @namespace, string secretName, string podName, string secretProviderClass, int keyCount);

    [LoggerMessage(EventId = 61, EventName = "SecretSyncFailed", Level = LogLevel.Warning, Message = "could not sync Secret {Namespace}/{SecretName} for pod {PodName}; the volume stays mounted: {Error}")]
    public static partial void SecretSyncFailed(ILogger logger, string @namespace, string secretName, string podName, string error);

    [LoggerMessage(EventId = 62, EventName = "SecretOwnerReleased", Level = LogLevel.Information, Message = "pod {PodName} no longer owns Secret {Namespace}/{SecretName}; {OwnerCount} owner(s) left")]
    public static partial void SecretOwnerReleased(ILogger logger, string @namespace, string secretName, string podName, int ownerCount);

    [LoggerMessage(EventId = 63, EventName = "SecretOwnerReleaseFailed", Level = LogLevel.Warning, Message = "could not remove pod {PodName} from the owners of Secret {Namespace}/{SecretName}; garbage collection drops it once the pod is gone: {Error}")]
    public static partial void SecretOwnerReleaseFailed(ILogger logger, string @namespace, string secretName, string podName, string error);

    [LoggerMessage(EventId = 64, EventName = "SecretRestored", Level = LogLevel.Information, Message = "re-created Secret {Namespace}/{SecretName} from the volume of pod {PodName}")]
    public static partial void SecretRestored(ILogger logger, string @namespace, string secretName, string podName);

    [LoggerMessage(EventId = 65, EventName = "SecretDeletedWhileNeeded", Level = LogLevel.Information, Message = "synced Secret {Namespace}/{SecretName} was deleted while a volume on this node declares it; re-creating it")]
    public static partial void SecretDeletedWhileNeeded(ILogger logger, string @namespace, string secretName);

    [LoggerMessage(EventId = 66, EventName = "SecretWatchListed", Level = LogLevel.Debug, Message = "listed {Count} managed Secret(s) at resourceVersion {ResourceVersion}")]
    public static partial void SecretWatchListed(ILogger logger, int count, string resourceVersion);

    [LoggerMessage(EventId = 67, EventName = "SecretWatchExpired", Level = LogLevel.Information, Message = "the watch of managed Secrets from resourceVersion {ResourceVersion} expired (410 Gone); listing again")]
    public static partial void SecretWatchExpired(ILogger logger, string resourceVersion);

    [LoggerMessage(EventId = 68, EventName = "SecretWatchFailed", Level = LogLevel.Warning, Message = "the watch of managed Secrets failed, retrying in {DelayMs} ms: {Error}")]
    public static partial void SecretWatchFailed(ILogger logger, string error, long delayMs);

    [LoggerMessage(EventId = 72, EventName = "PodEvent", Level = LogLevel.Information, Message = "{Type} {Reason} for pod {Namespace}/{PodName}: {EventMessage}")]
    public static partial void PodEventLogged(ILogger logger, string type, string reason, string @namespace, string podName, string eventMessage);

    [LoggerMessage(EventId = 80, EventName = "RotationPassDone", Level = LogLevel.Debug, Message = "rotation pass: {Volumes} volume(s), {Due} due, {Fetched} fetched, {NotDue} no longer due, {Failed} failed in {ElapsedMs} ms")]
    public static partial void RotationPassDone(ILogger logger, int volumes, int due, int fetched, int notDue, int failed, long elapsedMs);

    [LoggerMessage(EventId = 81, EventName = "RotationTimedOut", Level = LogLevel.Warning, Message = "rotation of the volume at {TargetPath} did not finish within {DeadlineMs} ms and was abandoned; the last good content stays mounted")]
    public static partial void RotationTimedOut(ILogger logger, string targetPath, long deadlineMs);

    [LoggerMessage(EventId = 82, EventName = "RotationReconcilerStarted", Level = LogLevel.Information, Message = "rotation reconciler started: every {Interval}, at most {MaxConcurrency} volume(s) at once")]
    public static partial void RotationReconcilerStarted(ILogger logger, string interval, int maxConcurrency);

    [LoggerMessage(EventId = 83, EventName = "ServiceAccountTokensRequested", Level = LogLevel.Debug, Message = "requested {Count} service-account token(s) for {Namespace}/{PodName} (service account {ServiceAccount}), reused {Reused}")]
    public static partial void ServiceAccountTokensRequested(ILogger logger, string @namespace, string podName, string serviceAccount, int count, int reused);

    [LoggerMessage(EventId = 84, EventName = "CsiDriverReadFailed", Level = LogLevel.Warning, Message = "could not read CSIDriver {DriverName} again, keeping its last tokenRequests: {Error}")]
    public static partial void CsiDriverReadFailed(ILogger logger, string driverName, string error);

    [LoggerMessage(EventId = 85, EventName = "RotationPassFailed", Level = LogLevel.Warning, Message = "rotation of the volume at {TargetPath} failed unexpectedly: {Error}")]
    public static partial void RotationPassFailed(ILogger logger, string targetPath, string error);

    [LoggerMessage(EventId = 69, EventName = "SecretOwnerLookupFailed", Level = LogLevel.Warning, Message = "could not read pod {Namespace}/{PodName} for its controller; its synced Secrets are owned by the pod: {Error}")]
    public static partial void SecretOwnerLookupFailed(ILogger logger, string @namespace, string podName, string error);

    [LoggerMessage(EventId = 70, EventName = "UndeclaredSecretDeleted", Level = LogLevel.Information, Message = "deleted synced Secret {Namespace}/{SecretName}: its SecretProviderClass no longer declares it and no mounted volume on any node declares it")]
    public static partial void UndeclaredSecretDeleted(ILogger logger, string @namespace, string secretName);

    [LoggerMessage(EventId = 86, EventName = "SecretsOnNodeDisk", Level = LogLevel.Warning, Message = "{OsType} node: there is no tmpfs, so each volume is a directory on the node's disk and the secrets written to it touch that disk until the volume is unpublished; keep the kubelet directory's ACL tight and the disk encrypted")]
    public static partial void SecretsOnNodeDisk(ILogger logger, string osType);

    [LoggerMessage(EventId = 79, EventName = "UndeclaredSecretKept", Level = LogLevel.Information, Message = "kept synced Secret {Namespace}/{SecretName} that this volume's SecretProviderClass no longer declares: SecretProviderClassPodStatus {PodStatus} (node {Node}) still declares it{Unknown}")]
    public static partial void UndeclaredSecretKept(ILogger logger, string @namespace, string secretName, string podStatus, string node, string unknown);
}
