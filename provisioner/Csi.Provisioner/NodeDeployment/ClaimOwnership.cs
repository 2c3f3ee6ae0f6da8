using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Csi.Kubernetes;
using Csi.Provisioner.Capacity;
using Csi.Provisioner.Controllers;
using Csi.Provisioner.Models;
using Csi.Provisioner.Provisioning;

namespace Csi.Provisioner.NodeDeployment;

/// <summary>
/// --node-deployment's decision whether a claim is this node's: a claim whose selected node names another node is
/// left alone; a WaitForFirstConsumer claim waits for the scheduler; an Immediate claim (with
/// --node-deployment-immediate-binding) is raced for: after <see cref="OwnershipDelay"/> the provisioner sets the
/// selected node to its own with a patch carrying the claim's resourceVersion, so of several nodes exactly one wins
/// and the others see a claim selected for another node.
/// </summary>
public sealed class ClaimOwnership
{
    private readonly KubernetesApiClient _client;
    private readonly ProvisionerCache _cache;
    private readonly ProvisioningDefaults _defaults;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _due = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);

    public ClaimOwnership(KubernetesApiClient client, ProvisionerCache cache, ProvisioningDefaults defaults, ILogger logger, TimeProvider time)
    {
        _client = client;
        _cache = cache;
        _defaults = defaults;
        _logger = logger;
        _time = time;
    }

    private string Node => _defaults.Options.NodeName;

    /// <summary>How long until the key's ownership attempt is due (for <see cref="SyncResult.Later"/>).</summary>
    public TimeSpan DelayOf(string key)
        => _due.TryGetValue(key, out var due) ? (due - _time.GetUtcNow()) is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero : TimeSpan.Zero;

    public void Forget(string key)
    {
        _due.TryRemove(key, out _);
        _attempts.TryRemove(key, out _);
    }

    /// <summary>Null result: provision <c>Claim</c> (selected for this node). Otherwise what the queue does with the key.</summary>
    public async Task<(SyncResult? Result, PersistentVolumeClaim Claim)> DecideAsync(string key, PersistentVolumeClaim claim, StorageClass storageClass, string? selectedNode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(storageClass);
        if (!string.IsNullOrEmpty(selectedNode))
        {
            _due.TryRemove(key, out _);
            return (selectedNode == Node ? null : SyncResult.Done, claim);
        }
        if (storageClass.VolumeBindingMode == "WaitForFirstConsumer" || !_defaults.Options.NodeDeploymentImmediateBinding)
        {
            return (SyncResult.Done, claim);
        }
        if (!NodeFits(storageClass))
        {
            return (SyncResult.RetrySlowly, claim); // not registered yet, or outside the class's allowed topologies
        }
        var now = _time.GetUtcNow();
        if (!_due.TryGetValue(key, out var due))
        {
            var delay = OwnershipDelay.For(_attempts.GetValueOrDefault(key), _defaults.Options.NodeDeploymentBaseDelay, _defaults.Options.NodeDeploymentMaxDelay, knownFull: false, Random.Shared.NextDouble());
            _due[key] = now + delay;
            ProvisionerLog.OwnershipWait(_logger, key, Node, delay);
            return (SyncResult.Later, claim);
        }
        if (now < due)
        {
            return (SyncResult.Later, claim);
        }
        _due.TryRemove(key, out _);
        _attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
        var patch = Encoding.UTF8.GetBytes(
            $"{{\"metadata\":{{\"resourceVersion\":{JsonSerializer.Serialize(claim.Metadata.ResourceVersion ?? string.Empty, ProvisionerJsonContext.Default.String)},\"annotations\":{{\"{Annotations.SelectedNode}\":{JsonSerializer.Serialize(Node, ProvisionerJsonContext.Default.String)}}}}}}}");
        try
        {
            var taken = await _client.PatchAsync(ApiResource.PersistentVolumeClaims, claim.Metadata.Namespace, claim.Metadata.Name!, patch, ProvisionerJsonContext.Default.PersistentVolumeClaim, cancellationToken).ConfigureAwait(false);
            ProvisionerLog.OwnershipTaken(_logger, key, Node);
            return (null, taken);
        }
        catch (KubernetesApiException e) when (e.IsConflict || e.IsNotFound)
        {
            ProvisionerLog.OwnershipLost(_logger, key, e.IsConflict ? "another writer was first" : "deleted");
            return (SyncResult.Retry, claim); // the next pass reads the claim again, most likely selected for another node
        }
    }

    /// <summary>The node has the driver registered with a topology segment that the class's allowed topologies admit.</summary>
    private bool NodeFits(StorageClass storageClass)
    {
        var segments = CapacitySegments.Of(_defaults.Driver.Name, _cache.CsiNodes.List().Where(n => n.Metadata.Name == Node), n => _cache.Nodes.Get(null, n));
        if (!_defaults.Driver.Topology)
        {
            return _cache.CsiNodes.Get(null, Node)?.Spec.Drivers.Any(d => d.Name == _defaults.Driver.Name) == true;
        }
        if (segments.Count == 0)
        {
            return false;
        }
        var allowed = TopologyRequirements.AllowedSegments(storageClass);
        return allowed.Count == 0 || segments.Any(s => allowed.Any(a => a.All(p => s.TryGetValue(p.Key, out var v) && v == p.Value)));
    }
}
