using System.Text.Json;
using Csi.Kubernetes;
using Csi.Provisioner.Models;
using Csi.Provisioner.Provisioning;

namespace Csi.Provisioner.Controllers;

/// <summary>
/// The finalizer provisioner.storage.kubernetes.io/cloning-protection on the source claim of a clone: added before
/// the clone's CreateVolume, removed once no clone of the source is still being provisioned, so a source deleted
/// meanwhile stays (Terminating) until the driver has copied it.
/// </summary>
public sealed class CloningProtection
{
    private readonly KubernetesApiClient _client;
    private readonly ProvisionerCache _cache;
    private readonly InFlightClaims _inFlight;
    private readonly ILogger _logger;

    public CloningProtection(KubernetesApiClient client, ProvisionerCache cache, InFlightClaims inFlight, ILogger logger)
    {
        _client = client;
        _cache = cache;
        _inFlight = inFlight;
        _logger = logger;
    }

    /// <summary>The name of the claim <paramref name="claim"/> clones (a PersistentVolumeClaim data source of its namespace), or null.</summary>
    public static string? SourceOf(PersistentVolumeClaim claim)
    {
        var source = claim?.Spec.DataSourceRef ?? claim?.Spec.DataSource;
        return source is { Kind: "PersistentVolumeClaim", Name.Length: > 0 } && string.IsNullOrEmpty(source.ApiGroup)
            && (string.IsNullOrEmpty(source.Namespace) || source.Namespace == claim!.Metadata.Namespace)
            ? source.Name
            : null;
    }

    /// <summary>
    /// Whether a clone of <paramref name="sourceName"/> is still being provisioned: a claim of <paramref name="ns"/>
    /// cloning it that has neither a volume name nor a PersistentVolume yet, other than the one with
    /// <paramref name="finishedUid"/> (whose provisioning just ended). A claim being deleted counts only while in flight.
    /// </summary>
    public static bool IsCloneInProgress(string ns, string sourceName, IEnumerable<PersistentVolumeClaim> claims, IEnumerable<PersistentVolumeClaim> inFlight, Func<PersistentVolumeClaim, bool> hasVolume, string? finishedUid)
    {
        ArgumentNullException.ThrowIfNull(hasVolume);
        bool Pending(PersistentVolumeClaim c)
            => c.Metadata.Namespace == ns && c.Metadata.Uid != finishedUid && SourceOf(c) == sourceName
               && string.IsNullOrEmpty(c.Spec.VolumeName) && !hasVolume(c);
        return inFlight.Any(Pending) || claims.Any(c => c.Metadata.DeletionTimestamp is null && Pending(c));
    }

    /// <summary>Puts the finalizer on the source claim before the clone's CreateVolume.</summary>
    /// <exception cref="ProvisioningException">the source is being deleted and is not protected already, or the write failed.</exception>
    public async Task ProtectAsync(PersistentVolumeClaim clone, string sourceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clone);
        var ns = clone.Metadata.Namespace;
        var cloneKey = ClaimSync.Key(clone.Metadata);
        try
        {
            await RetryOnConflict.RunAsync(
                async ct =>
                {
                    var source = await _client.GetAsync(ApiResource.PersistentVolumeClaims, ns, sourceName, ProvisionerJsonContext.Default.PersistentVolumeClaim, ct).ConfigureAwait(false)
                        ?? throw new ProvisioningException($"claim {cloneKey}: source claim \"{sourceName}\" of spec.dataSource does not exist in namespace {ns}");
                    var finalizers = source.Metadata.Finalizers ?? [];
                    if (finalizers.Contains(Annotations.CloningProtectionFinalizer))
                    {
                        return;
                    }
                    if (source.Metadata.DeletionTimestamp is not null)
                    {
                        throw new ProvisioningException($"claim {cloneKey}: source claim \"{sourceName}\" is being deleted, so it cannot be cloned; recreate the source, or remove spec.dataSource");
                    }
                    await WriteFinalizersAsync(source, [.. finalizers, Annotations.CloningProtectionFinalizer], ct).ConfigureAwait(false);
                    ProvisionerLog.CloneSourceProtected(_logger, ns ?? string.Empty, sourceName, cloneKey);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e)
        {
            throw new ProvisioningException($"claim {cloneKey}: cannot add finalizer {Annotations.CloningProtectionFinalizer} to source claim \"{sourceName}\": {e.Message}", e);
        }
    }

    /// <summary>
    /// Removes the finalizer from the source claim unless a clone of it is still being provisioned. Called when a
    /// clone's provisioning ended (<paramref name="finishedUid"/>) and whenever the source claim is synced.
    /// </summary>
    public async Task ReleaseAsync(string? ns, string sourceName, string? finishedUid, CancellationToken cancellationToken)
    {
        var cached = _cache.Claims.Get(ns, sourceName);
        if (cached?.Metadata.Finalizers?.Contains(Annotations.CloningProtectionFinalizer) != true)
        {
            return;
        }
        if (IsCloneInProgress(ns ?? string.Empty, sourceName, _cache.Claims.List(), _inFlight.All, HasVolume, finishedUid))
        {
            return;
        }
        try
        {
            await RetryOnConflict.RunAsync(
                async ct =>
                {
                    var source = await _client.GetAsync(ApiResource.PersistentVolumeClaims, ns, sourceName, ProvisionerJsonContext.Default.PersistentVolumeClaim, ct).ConfigureAwait(false);
                    if (source?.Metadata.Finalizers is { } finalizers && finalizers.Contains(Annotations.CloningProtectionFinalizer))
                    {
                        await WriteFinalizersAsync(source, [.. finalizers.Where(f => f != Annotations.CloningProtectionFinalizer)], ct).ConfigureAwait(false);
                        ProvisionerLog.CloneSourceReleased(_logger, ns ?? string.Empty, sourceName);
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
        }
    }

    private bool HasVolume(PersistentVolumeClaim claim)
        => _cache.Volumes.List().Any(v => v.Spec.ClaimRef?.Uid is { Length: > 0 } uid && uid == claim.Metadata.Uid);

    /// <summary>A merge patch of the whole finalizer list, guarded by the resourceVersion it was computed from.</summary>
    private Task<PersistentVolumeClaim> WriteFinalizersAsync(PersistentVolumeClaim source, List<string> finalizers, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("metadata");
            json.WriteString("resourceVersion", source.Metadata.ResourceVersion);
            json.WriteStartArray("finalizers");
            foreach (var finalizer in finalizers)
            {
                json.WriteStringValue(finalizer);
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return _client.PatchAsync(ApiResource.PersistentVolumeClaims, source.Metadata.Namespace, source.Metadata.Name!, buffer.ToArray(), ProvisionerJsonContext.Default.PersistentVolumeClaim, cancellationToken);
    }
}
