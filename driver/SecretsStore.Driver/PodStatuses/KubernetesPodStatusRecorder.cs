using System.Collections.Concurrent;
using Csi.Kubernetes;
using SecretsStore.Driver.Diagnostics;
using SecretsStore.Driver.Kubernetes;
using SecretsStore.Driver.Kubernetes.Models;
using SecretsStore.Driver.Publishing;

namespace SecretsStore.Driver.PodStatuses;

/// <summary>
/// Writes SecretProviderClassPodStatus objects: created on the first mount, updated when a rotation changes
/// what is recorded, taken over when one already exists (a StatefulSet pod that moved nodes), deleted on
/// unpublish. Updates carry the last known resourceVersion; a 409 Conflict reads the object afresh and tries
/// again. A record that has not changed costs no API call.
/// </summary>
public sealed class KubernetesPodStatusRecorder : IPodStatusRecorder
{

    private readonly KubernetesApiClient _api;
    private readonly string _nodeId;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Recorded> _recorded = new(StringComparer.Ordinal);

    public KubernetesPodStatusRecorder(KubernetesApiClient api, string nodeId, ILogger<KubernetesPodStatusRecorder> logger)
    {
        _api = api;
        _nodeId = nodeId;
        _logger = logger;
    }

    private static ApiResource Resource => SecretsStoreResources.SecretProviderClassPodStatusesV1;

    public async Task RecordAsync(PodStatusRecord record, CancellationToken cancellationToken)
    {
        _recorded.TryGetValue(record.TargetPath, out var known);
        if (known is not null && known.Record.Name == record.Name && Same(known.Record, record))
        {
            return;
        }
        var lastStored = known is not null && known.Record.Name == record.Name && known.Record.PodNamespace == record.PodNamespace ? known.Stored : null;
        try
        {
            var stored = await WriteAsync(record, lastStored, cancellationToken).ConfigureAwait(false);
            _recorded[record.TargetPath] = new Recorded(record, stored);
            DriverLog.PodStatusRecorded(_logger, record.PodNamespace, record.PodName, record.TargetPath, record.Objects.Count);
        }
        catch (KubernetesApiException e)
        {
            throw new SecretsStoreException(
                ErrorReason.KubernetesApiError,
                $"could not record SecretProviderClassPodStatus {record.PodNamespace}/{record.Name} in the Kubernetes API: {e.Message}",
                e);
        }
    }

    public async Task RemoveAsync(string targetPath, CancellationToken cancellationToken)
    {
        try
        {
            if (_recorded.TryRemove(targetPath, out var known))
            {
                await _api.DeleteAsync(Resource, known.Record.PodNamespace, known.Record.Name, cancellationToken).ConfigureAwait(false);
                DriverLog.PodStatusDeleted(_logger, known.Record.PodNamespace, known.Record.Name);
                return;
            }
            // Not written by this process (the driver restarted): find it by node label and target path.
            var list = await _api.ListAsync(Resource, null, PodStatusMapping.NodeLabel + "=" + _nodeId, null, SecretsStoreJsonContext.Default.ResourceListSecretProviderClassPodStatusResource, cancellationToken).ConfigureAwait(false);
            foreach (var item in list.Items.Where(i => i.Status?.TargetPath == targetPath && i.Metadata.Name is not null && i.Metadata.Namespace is not null))
            {
                await _api.DeleteAsync(Resource, item.Metadata.Namespace!, item.Metadata.Name!, cancellationToken).ConfigureAwait(false);
                DriverLog.PodStatusDeleted(_logger, item.Metadata.Namespace!, item.Metadata.Name!);
            }
        }
        catch (KubernetesApiException e)
        {
            // The volume is gone either way; the pod's ownerReference lets the garbage collector remove the status.
            DriverLog.PodStatusDeleteFailed(_logger, targetPath, e.Message);
        }
    }

    private async Task<SecretProviderClassPodStatusResource> WriteAsync(PodStatusRecord record, SecretProviderClassPodStatusResource? current, CancellationToken cancellationToken)
    {
        var type = SecretsStoreJsonContext.Default.SecretProviderClassPodStatusResource;
        var first = true;
        return await RetryOnConflict.RunAsync(
            async ct =>
            {
                if (!first)
                {
                    current = await _api.GetAsync(Resource, record.PodNamespace, record.Name, type, ct).ConfigureAwait(false); // lost a race: read again
                }
                first = false;
                if (current is null)
                {
                    var created = await _api.CreateAsync(Resource, record.PodNamespace, PodStatusMapping.Apply(null, record), type, ct).ConfigureAwait(false);
                    DriverLog.PodStatusCreated(_logger, record.PodNamespace, record.Name);
                    return created;
                }
                if (current.Metadata.Labels?.GetValueOrDefault(PodStatusMapping.NodeLabel) is { } owner && owner != record.NodeId)
                {
                    DriverLog.PodStatusTakenOver(_logger, record.PodNamespace, record.Name, owner);
                }
                return await _api.UpdateAsync(Resource, record.PodNamespace, record.Name, PodStatusMapping.Apply(current, record), type, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static bool Same(PodStatusRecord a, PodStatusRecord b)
        => a.PodUid == b.PodUid && a.NodeId == b.NodeId && a.Mounted == b.Mounted && a.SecretProviderClassName == b.SecretProviderClassName
           && a.Objects.OrderBy(o => o.Id, StringComparer.Ordinal).SequenceEqual(b.Objects.OrderBy(o => o.Id, StringComparer.Ordinal))
           && (a.SecretNames ?? []).Order(StringComparer.Ordinal).SequenceEqual((b.SecretNames ?? []).Order(StringComparer.Ordinal), StringComparer.Ordinal);

    private sealed record Recorded(PodStatusRecord Record, SecretProviderClassPodStatusResource Stored);
}
