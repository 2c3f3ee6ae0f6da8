using System.Collections.Concurrent;
using System.Text;
using Csi.Kubernetes;
using Csi.Kubernetes.Models;
using Csi.Provisioner.Models;
using Csi.Provisioner.Provisioning;
using Csi.V1;
using Grpc.Core;

namespace Csi.Provisioner.Controllers;

/// <summary>
/// One pass over one claim: decide whether it is ours to provision, build CreateVolume, call the driver, create the
/// PersistentVolume. The PV name (from the claim uid) is CreateVolume's name, so a retry after any failure, a crash
/// or a lost answer gets the same volume back instead of a second one.
/// </summary>
public sealed class ClaimSync
{
    private readonly KubernetesApiClient _client;
    private readonly ProvisionerCache _cache;
    private readonly Controller.ControllerClient _driver;
    private readonly ProvisioningDefaults _defaults;
    private readonly IEventSink _events;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, bool> _announced = new(StringComparer.Ordinal);

    public ClaimSync(KubernetesApiClient client, ProvisionerCache cache, Controller.ControllerClient driver, ProvisioningDefaults defaults, IEventSink events, ILogger logger, TimeProvider time)
    {
        _client = client;
        _cache = cache;
        _driver = driver;
        _defaults = defaults;
        _events = events;
        _logger = logger;
        _time = time;
        Cloning = new CloningProtection(client, cache, InFlight, logger);
        Ownership = defaults.Options.NodeDeployment ? new NodeDeployment.ClaimOwnership(client, cache, defaults, logger, time) : null;
    }

    /// <summary>With --node-deployment: which claims are this node's, and the race for Immediate ones.</summary>
    public NodeDeployment.ClaimOwnership? Ownership { get; }

    /// <summary>Claims whose volume may exist without a PersistentVolume; worked on even after they are deleted.</summary>
    public InFlightClaims InFlight { get; } = new();

    /// <summary>The cloning-protection finalizer on clone sources.</summary>
    public CloningProtection Cloning { get; }

    /// <summary>Claims whose last attempt was infeasible, with the uid of the class it was made against.</summary>
    public ConcurrentDictionary<string, string> Infeasible { get; } = new(StringComparer.Ordinal);

    private string DriverName => _defaults.Driver.Name;

    public static string Key(ObjectMeta metadata) => $"{metadata?.Namespace}/{metadata?.Name}";

    /// <summary>Upstream's shouldProvision, before the class is looked at.</summary>
    public bool IsOurs(PersistentVolumeClaim claim) => IsOurs(claim, inFlight: false);

    /// <summary>As <see cref="IsOurs(PersistentVolumeClaim)"/>; a claim in flight stays ours while it is being deleted.</summary>
    private bool IsOurs(PersistentVolumeClaim claim, bool inFlight)
    {
        ArgumentNullException.ThrowIfNull(claim);
        if (!string.IsNullOrEmpty(claim.Spec.VolumeName) || (claim.Metadata.DeletionTimestamp is not null && !inFlight))
        {
            return false;
        }
        var annotations = claim.Metadata.Annotations;
        return annotations is not null
            && ((annotations.TryGetValue(Annotations.StorageProvisioner, out var p) && p == DriverName)
                || (annotations.TryGetValue(Annotations.BetaStorageProvisioner, out var beta) && beta == DriverName));
    }

    public static string? ClassName(PersistentVolumeClaim claim)
        => claim?.Spec.StorageClassName is { Length: > 0 } name ? name
            : claim?.Metadata.Annotations?.GetValueOrDefault(Annotations.BetaStorageClass);

    public void Forget(string key)
    {
        _announced.TryRemove(key, out _);
        Infeasible.TryRemove(key, out _);
        Ownership?.Forget(key);
    }

    public async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = Split(key);
        var cached = _cache.Claims.Get(ns, name);
        if (cached?.Metadata.Finalizers?.Contains(Annotations.CloningProtectionFinalizer) == true)
        {
            await Cloning.ReleaseAsync(ns, name, null, cancellationToken).ConfigureAwait(false);
        }
        var inFlight = InFlight.Get(key);
        var (chosen, gone) = InFlightClaims.Choose(cached, inFlight);
        if (chosen is not { } claim)
        {
            Forget(key);
            return SyncResult.Done;
        }
        if (!IsOurs(claim, inFlight is not null))
        {
            InFlight.Settle(key, claim.Metadata.Uid); // bound or handed to another provisioner: nothing more to learn here
            return SyncResult.Done;
        }
        if (gone)
        {
            ProvisionerLog.ClaimGoneInFlight(_logger, key);
        }
        var className = ClassName(claim);
        var storageClass = className is null ? null : _cache.Classes.Get(null, className);
        if (storageClass is null)
        {
            Fail(claim, className is null
                ? "the claim names no StorageClass (spec.storageClassName): name one whose provisioner is " + DriverName
                : $"StorageClass \"{className}\" not found: create it, or name an existing class in spec.storageClassName");
            return SyncResult.Retry;
        }
        if (storageClass.Provisioner != DriverName)
        {
            return SyncResult.Done;
        }
        claim.Metadata.Annotations!.TryGetValue(Annotations.SelectedNode, out var selectedNode);
        if (Ownership is not null && inFlight is null)
        {
            var (result, owned) = await Ownership.DecideAsync(key, claim, storageClass, selectedNode, cancellationToken).ConfigureAwait(false);
            if (result is { } notOurs)
            {
                return notOurs;
            }
            claim = owned;
            selectedNode = _defaults.Options.NodeName;
        }
        if (storageClass.VolumeBindingMode == "WaitForFirstConsumer" && string.IsNullOrEmpty(selectedNode))
        {
            return SyncResult.Done; // the scheduler sets the node once a pod uses the claim; that update brings it back
        }
        var volumeName = VolumeNames.For(_defaults.Options.VolumeNamePrefix, _defaults.Options.VolumeNameUuidLength, claim.Metadata.Uid ?? string.Empty);
        // A PV saved by an earlier pass is assumed in the volume informer until its watch shows it: a claim synced
        // again in that gap (an update that arrived mid-provisioning) does not call CreateVolume a second time.
        if (_cache.Volumes.Get(null, volumeName) is not null)
        {
            InFlight.Settle(key, claim.Metadata.Uid);
            Forget(key);
            return Replaced(cached, claim); // provisioned already; the PV controller binds it
        }
        if (_announced.TryAdd(key, true))
        {
            _events.Record(Reference(claim), EventReasons.Normal, EventReasons.ExternalProvisioning,
                $"Waiting for a volume to be created either by the external provisioner '{DriverName}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.");
        }

        VolumeRequestContext context;
        try
        {
            context = await BuildContextAsync(claim, storageClass, volumeName, selectedNode, cancellationToken).ConfigureAwait(false);
        }
        catch (ProvisioningException e)
        {
            Fail(claim, $"failed to provision volume with StorageClass \"{storageClass.Metadata.Name}\": {e.Message}");
            return SyncResult.Retry;
        }
        if (context is null)
        {
            return SyncResult.Done;
        }

        var cloneSource = context.ContentSource?.Volume is not null ? CloningProtection.SourceOf(claim) : null;
        if (cloneSource is not null)
        {
            try
            {
                await Cloning.ProtectAsync(claim, cloneSource, cancellationToken).ConfigureAwait(false);
            }
            catch (ProvisioningException e)
            {
                Fail(claim, $"failed to provision volume with StorageClass \"{storageClass.Metadata.Name}\": {e.Message}");
                return SyncResult.Retry;
            }
        }

        ProvisionerLog.Provisioning(_logger, volumeName, key, storageClass.Metadata.Name ?? string.Empty);
        _events.Record(Reference(claim), EventReasons.Normal, EventReasons.Provisioning, $"External provisioner is provisioning volume for claim \"{key}\"");
        Volume volume;
        try
        {
            var request = CreateVolumeRequestBuilder.Build(context);
            var response = await _driver.CreateVolumeAsync(request, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
            volume = response.Volume ?? throw new RpcException(new Status(StatusCode.Internal, "CreateVolume answered without a volume"));
        }
        catch (Exception e) when (e is RpcException or ProvisioningException)
        {
            return await HandleFailureAsync(claim, gone, storageClass, selectedNode, e, cancellationToken).ConfigureAwait(false);
        }

        var requested = CreateVolumeRequestBuilder.RequestedBytes(context);
        if (volume.CapacityBytes > 0 && volume.CapacityBytes < requested)
        {
            await DeleteQuietlyAsync(volume.VolumeId, context.ProvisionerSecrets, cancellationToken).ConfigureAwait(false);
            Fail(claim, $"failed to provision volume with StorageClass \"{storageClass.Metadata.Name}\": the driver created {volume.CapacityBytes} bytes, less than the {requested} requested; the volume was deleted again");
            return SyncResult.Retry;
        }

        var pv = PersistentVolumeBuilder.Build(context, volume);
        try
        {
            _cache.Volumes.Assume(await _client.CreateAsync(ApiResource.PersistentVolumes, null, pv, ProvisionerJsonContext.Default.PersistentVolume, cancellationToken).ConfigureAwait(false));
        }
        catch (KubernetesApiException e) when (e.IsAlreadyExists)
        {
            // Created by an earlier attempt whose answer was lost; shown until the informer has the stored one.
            _cache.Volumes.Assume(pv);
        }
        catch (KubernetesApiException e)
        {
            // The volume exists; the next attempt's CreateVolume returns it again and the PV create is repeated,
            // even if the claim is deleted meanwhile.
            InFlight.Track(key, claim);
            Fail(claim, $"created volume {volume.VolumeId} but could not save PersistentVolume {volumeName}: {e.Message}; retrying");
            return SyncResult.Retry;
        }
        InFlight.Settle(key, claim.Metadata.Uid);
        ProvisionerLog.Provisioned(_logger, volumeName, volume.VolumeId, volume.CapacityBytes, key);
        var succeeded = $"Successfully provisioned volume {volumeName}";
        if (gone)
        {
            // As upstream: the PV names the deleted claim's uid, so the PV controller marks it Released and the
            // volume goes the way of the class's reclaim policy (Delete: DeleteVolume; Retain: kept for the administrator).
            var policy = pv.Spec.PersistentVolumeReclaimPolicy ?? "Delete";
            ProvisionerLog.ClaimGoneVolumeCreated(_logger, key, volumeName, policy);
            succeeded += $"; the claim was deleted meanwhile, so the volume is released and its reclaim policy {policy} applies";
        }
        _events.Record(Reference(claim), EventReasons.Normal, EventReasons.ProvisioningSucceeded, succeeded);
        await ReleaseSourceAsync(claim, cloneSource, cancellationToken).ConfigureAwait(false);
        Forget(key);
        return Replaced(cached, claim);
    }

    /// <summary>Done, unless a new claim of the same name waits behind the in-flight one just finished.</summary>
    private static SyncResult Replaced(PersistentVolumeClaim? cached, PersistentVolumeClaim finished)
        => cached is not null && cached.Metadata.Uid != finished.Metadata.Uid ? SyncResult.Retry : SyncResult.Done;

    private Task ReleaseSourceAsync(PersistentVolumeClaim clone, string? source, CancellationToken cancellationToken)
        => source is null ? Task.CompletedTask : Cloning.ReleaseAsync(clone.Metadata.Namespace, source, clone.Metadata.Uid, cancellationToken);

    private async Task<SyncResult> HandleFailureAsync(PersistentVolumeClaim claim, bool gone, StorageClass storageClass, string? selectedNode, Exception error, CancellationToken cancellationToken)
    {
        var key = Key(claim.Metadata);
        var canReschedule = !string.IsNullOrEmpty(selectedNode) && _defaults.Driver.Topology;
        var kind = FailureClassifier.Classify(error, canReschedule);
        var detail = error is RpcException rpc ? $"rpc error: code = {rpc.StatusCode} desc = {rpc.Status.Detail}" : error.Message;
        ProvisionerLog.ProvisioningFailed(_logger, key, kind.ToString(), detail);
        var prefix = $"failed to provision volume with StorageClass \"{storageClass.Metadata.Name}\": {detail}";
        switch (InFlightClaims.StaysInFlight(error, canReschedule))
        {
            case true:
                InFlight.Track(key, claim);
                break;
            case false:
                // A final answer: the driver created no volume. The clone's source is free again (a later attempt protects it anew).
                InFlight.Settle(key, claim.Metadata.Uid);
                await ReleaseSourceAsync(claim, CloningProtection.SourceOf(claim), cancellationToken).ConfigureAwait(false);
                if (gone)
                {
                    ProvisionerLog.ClaimGoneNoVolume(_logger, key);
                    Fail(claim, $"{prefix}; the claim was deleted meanwhile and the driver created no volume, so there is nothing to clean up");
                    return SyncResult.Done;
                }
                break;
        }
        switch (kind)
        {
            case FailureKind.Reschedule:
                Fail(claim, $"{prefix}; node \"{selectedNode}\" cannot hold the volume, asking the scheduler for another node");
                await RemoveSelectedNodeAsync(claim, cancellationToken).ConfigureAwait(false);
                ProvisionerLog.Rescheduled(_logger, key, selectedNode!);
                return SyncResult.Done;
            case FailureKind.Infeasible:
                Infeasible[key] = storageClass.Metadata.Uid ?? string.Empty;
                Fail(claim, $"{prefix}; the driver rejected the request: fix the StorageClass parameters or the claim (retried after {Common.Flags.GoDuration.Format(_defaults.Options.RetryIntervalMax)} or when the class changes)");
                return SyncResult.RetrySlowly;
            case FailureKind.InBackground:
                Fail(claim, gone
                    ? $"{prefix}; the claim was deleted, but the volume may still be being created: the same request is repeated until the driver answers, and a volume it created is then deleted"
                    : $"{prefix}; the volume may still be being created, the same request is repeated");
                return SyncResult.Retry;
            default:
                Fail(claim, prefix);
                return SyncResult.Retry;
        }
    }

    private async Task RemoveSelectedNodeAsync(PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        // The claim's resourceVersion makes the patch fail when the claim changed since it was read: the next pass decides again.
        var patch = Encoding.UTF8.GetBytes($"{{\"metadata\":{{\"resourceVersion\":\"{claim.Metadata.ResourceVersion}\",\"annotations\":{{\"{Annotations.SelectedNode}\":null}}}}}}");
        await _client.PatchAsync(ApiResource.PersistentVolumeClaims, claim.Metadata.Namespace, claim.Metadata.Name!, patch, ProvisionerJsonContext.Default.PersistentVolumeClaim, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The request's inputs, or null when the claim waits for something else (an external populator).</summary>
    private async Task<VolumeRequestContext> BuildContextAsync(PersistentVolumeClaim claim, StorageClass storageClass, string volumeName, string? selectedNode, CancellationToken cancellationToken)
    {
        var key = Key(claim.Metadata);
        if (claim.Spec.Selector is { ValueKind: not System.Text.Json.JsonValueKind.Null })
        {
            throw new ProvisioningException($"claim {key} has spec.selector, which dynamic provisioning does not support: remove the selector, or bind to an existing PersistentVolume");
        }
        var className = storageClass.Metadata.Name ?? string.Empty;
        var parameters = ClassParameters.Parse(className, storageClass.Parameters);

        var references = new Dictionary<SecretKind, SecretReference>();
        foreach (var (kind, template) in parameters.Secrets)
        {
            references[kind] = SecretTemplates.Resolve(className, template, volumeName, claim);
        }
        IReadOnlyDictionary<string, string>? secrets = null;
        if (references.TryGetValue(SecretKind.Provisioner, out var provisionerSecret))
        {
            secrets = await ReadSecretAsync(provisionerSecret, parameters.Secrets[SecretKind.Provisioner].NameKey, className, cancellationToken).ConfigureAwait(false);
        }

        TopologyRequirement? topology = null;
        if (_defaults.Driver.Topology)
        {
            topology = TopologyRequirements.Build(new TopologyInputs(
                DriverName, storageClass, selectedNode, _cache.CsiNodes.List(), n => _cache.Nodes.Get(null, n),
                _defaults.Options.StrictTopology, _defaults.Options.ImmediateTopology, volumeName));
        }

        var context = new VolumeRequestContext(DriverName, volumeName, claim, storageClass, parameters)
        {
            ExtraCreateMetadata = _defaults.Options.ExtraCreateMetadata,
            DefaultFsType = _defaults.Options.DefaultFsType,
            SingleNodeMultiWriter = _defaults.Driver.Has(ControllerServiceCapability.Types.RPC.Types.Type.SingleNodeMultiWriter),
            Topology = topology,
            ProvisionerSecrets = secrets,
            SecretReferences = references,
            ProvisionerIdentity = _defaults.ProvisionerIdentity,
        };
        var source = claim.Spec.DataSourceRef ?? claim.Spec.DataSource;
        if (source is not null)
        {
            var contentSource = DataSources.Resolve(source, context, _cache, _defaults.Driver);
            if (contentSource is null)
            {
                return null!;
            }
            context = context with { ContentSource = contentSource };
        }
        return context;
    }

    private Task<IReadOnlyDictionary<string, string>> ReadSecretAsync(SecretReference reference, string parameter, string className, CancellationToken cancellationToken)
        => SecretData.ReadAsync(
            _client,
            reference.Namespace,
            reference.Name!,
            e => $"cannot read Secret {reference.Namespace}/{reference.Name} named by StorageClass \"{className}\" parameter \"{parameter}\": {e.Message}",
            $"Secret {reference.Namespace}/{reference.Name} named by StorageClass \"{className}\" parameter \"{parameter}\" does not exist: create it or fix the parameter",
            cancellationToken);

    private async Task DeleteQuietlyAsync(string volumeId, IReadOnlyDictionary<string, string>? secrets, CancellationToken cancellationToken)
    {
        var request = DeleteVolumeRequestBuilder.Build(volumeId, secrets);
        try
        {
            await _driver.DeleteVolumeAsync(request, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            ProvisionerLog.DeleteFailed(_logger, volumeId, e.Status.Detail);
        }
    }

    private void Fail(PersistentVolumeClaim claim, string message)
        => _events.Record(Reference(claim), EventReasons.Warning, EventReasons.ProvisioningFailed, message);

    private DateTime Deadline() => _time.GetUtcNow().UtcDateTime + _defaults.Options.Timeout;

    public static ObjectReference Reference(PersistentVolumeClaim claim) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Namespace = claim?.Metadata.Namespace,
        Name = claim?.Metadata.Name,
        Uid = claim?.Metadata.Uid,
    };

    private static (string? Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (null, key) : (key[..slash], key[(slash + 1)..]);
    }
}
