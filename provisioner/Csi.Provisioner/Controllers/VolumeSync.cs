using Csi.Kubernetes;
using Csi.Kubernetes.Models;
using Csi.Provisioner.Models;
using Csi.Provisioner.Provisioning;
using Csi.V1;
using Grpc.Core;

namespace Csi.Provisioner.Controllers;

/// <summary>
/// One pass over one PersistentVolume: a Released volume of this driver with reclaim policy Delete is deleted in the
/// driver, then its finalizer removed and the PV deleted; any other reclaim policy only loses the finalizer.
/// </summary>
public sealed class VolumeSync
{
    private readonly KubernetesApiClient _client;
    private readonly ProvisionerCache _cache;
    private readonly Controller.ControllerClient _driver;
    private readonly ProvisioningDefaults _defaults;
    private readonly IEventSink _events;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public VolumeSync(KubernetesApiClient client, ProvisionerCache cache, Controller.ControllerClient driver, ProvisioningDefaults defaults, IEventSink events, ILogger logger, TimeProvider time)
    {
        _client = client;
        _cache = cache;
        _driver = driver;
        _defaults = defaults;
        _events = events;
        _logger = logger;
        _time = time;
    }

    private string DriverName => _defaults.Driver.Name;

    public async Task<SyncResult> SyncAsync(string name, CancellationToken cancellationToken)
    {
        var pv = _cache.Volumes.Get(null, name);
        if (pv?.Spec.Csi?.Driver != DriverName)
        {
            return SyncResult.Done;
        }
        if (_defaults.Options.NodeDeployment && !NodeDeployment.NodeAffinityMatcher.NamesNode(pv.Spec.NodeAffinity, _defaults.Options.NodeName, _cache.Nodes.Get(null, _defaults.Options.NodeName)?.Metadata.Labels))
        {
            return SyncResult.Done; // another node's volume: its provisioner deletes it
        }
        var hasFinalizer = pv.Metadata.Finalizers?.Contains(Annotations.VolumeFinalizer) == true;
        var policy = pv.Spec.PersistentVolumeReclaimPolicy ?? "Retain";
        if (policy != "Delete")
        {
            if (hasFinalizer)
            {
                await RemoveFinalizerAsync(name, cancellationToken).ConfigureAwait(false);
                ProvisionerLog.Retained(_logger, name, policy);
            }
            return SyncResult.Done;
        }
        var ours = pv.Metadata.Annotations?.GetValueOrDefault(Annotations.ProvisionedBy) == DriverName;
        if (!ours || pv.Status?.Phase != "Released")
        {
            return SyncResult.Done;
        }

        try
        {
            if (_defaults.Driver.Has(ControllerServiceCapability.Types.RPC.Types.Type.PublishUnpublishVolume) && await IsAttachedAsync(name, cancellationToken).ConfigureAwait(false))
            {
                FailDelete(pv, $"persistentvolume {name} is still attached (a VolumeAttachment names it); it is deleted once detached");
                return SyncResult.Retry;
            }
            var secrets = await DeletionSecretsAsync(pv, cancellationToken).ConfigureAwait(false);
            var request = DeleteVolumeRequestBuilder.Build(pv.Spec.Csi.VolumeHandle ?? string.Empty, secrets);
            await _driver.DeleteVolumeAsync(request, deadline: _time.GetUtcNow().UtcDateTime + _defaults.Options.Timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            FailDelete(pv, $"rpc error: code = {e.StatusCode} desc = {e.Status.Detail}");
            return SyncResult.Retry;
        }
        catch (ProvisioningException e)
        {
            FailDelete(pv, e.Message);
            return SyncResult.Retry;
        }
        ProvisionerLog.Deleted(_logger, pv.Spec.Csi.VolumeHandle ?? string.Empty, name);
        if (hasFinalizer)
        {
            await RemoveFinalizerAsync(name, cancellationToken).ConfigureAwait(false);
        }
        await _client.DeleteAsync(ApiResource.PersistentVolumes, null, name, cancellationToken).ConfigureAwait(false);
        return SyncResult.Done;
    }

    private async Task<bool> IsAttachedAsync(string name, CancellationToken cancellationToken)
    {
        var attachments = await _client.ListAsync(ApiResource.VolumeAttachments, null, null, null, ProvisionerJsonContext.Default.ResourceListVolumeAttachment, cancellationToken).ConfigureAwait(false);
        return attachments.Items.Any(a => a.Spec.Source?.PersistentVolumeName == name);
    }

    private async Task<IReadOnlyDictionary<string, string>> DeletionSecretsAsync(PersistentVolume pv, CancellationToken cancellationToken)
    {
        var annotations = pv.Metadata.Annotations;
        if (annotations is null || !annotations.TryGetValue(Annotations.DeletionSecretName, out var name) || !annotations.TryGetValue(Annotations.DeletionSecretNamespace, out var ns) || name.Length == 0)
        {
            return new Dictionary<string, string>();
        }
        return await SecretData.ReadAsync(
            _client,
            ns,
            name,
            e => $"cannot read the deletion Secret {ns}/{name} (annotation {Annotations.DeletionSecretName}): {e.Message}",
            $"the deletion Secret {ns}/{name} named by annotation {Annotations.DeletionSecretName} does not exist: restore it so the volume can be deleted",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the provisioner's finalizer, re-reading the PV when the write loses a race (409 Conflict).</summary>
    private Task RemoveFinalizerAsync(string name, CancellationToken cancellationToken)
        => RetryOnConflict.RunAsync(
            async ct =>
            {
                var current = await _client.GetAsync(ApiResource.PersistentVolumes, null, name, ProvisionerJsonContext.Default.PersistentVolume, ct).ConfigureAwait(false);
                if (current?.Metadata.Finalizers is { } finalizers && finalizers.Remove(Annotations.VolumeFinalizer))
                {
                    await _client.UpdateAsync(ApiResource.PersistentVolumes, null, name, current, ProvisionerJsonContext.Default.PersistentVolume, ct).ConfigureAwait(false);
                }
            },
            cancellationToken);

    private void FailDelete(PersistentVolume pv, string message)
    {
        ProvisionerLog.DeleteFailed(_logger, pv.Metadata.Name ?? string.Empty, message);
        _events.Record(new ObjectReference { ApiVersion = "v1", Kind = "PersistentVolume", Name = pv.Metadata.Name, Uid = pv.Metadata.Uid }, EventReasons.Warning, EventReasons.VolumeFailedDelete, message);
    }
}
