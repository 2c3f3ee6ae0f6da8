using Csi.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using LocalVolume.Driver.Diagnostics;
using LocalVolume.Driver.Volumes;

namespace LocalVolume.Driver.CsiServices;

/// <summary>CSI Controller: checks each request's fields and hands it to the <see cref="VolumeCatalog"/>.</summary>
public sealed class ControllerService : Controller.ControllerBase
{
    private static readonly ControllerServiceCapability.Types.RPC.Types.Type[] Capabilities =
    [
        ControllerServiceCapability.Types.RPC.Types.Type.CreateDeleteVolume,
        ControllerServiceCapability.Types.RPC.Types.Type.ListVolumes,
        ControllerServiceCapability.Types.RPC.Types.Type.GetCapacity,
        ControllerServiceCapability.Types.RPC.Types.Type.CreateDeleteSnapshot,
        ControllerServiceCapability.Types.RPC.Types.Type.ListSnapshots,
        ControllerServiceCapability.Types.RPC.Types.Type.CloneVolume,
        ControllerServiceCapability.Types.RPC.Types.Type.ExpandVolume,
    ];

    private readonly VolumeCatalog _catalog;
    private readonly DriverOptions _options;
    private readonly ILogger _logger;
    private readonly DriverMetrics _metrics;

    public ControllerService(VolumeCatalog catalog, DriverOptions options, ILogger<ControllerService> logger, DriverMetrics metrics)
    {
        _catalog = catalog;
        _options = options;
        _logger = logger;
        _metrics = metrics;
    }

    public override Task<ControllerGetCapabilitiesResponse> ControllerGetCapabilities(ControllerGetCapabilitiesRequest request, ServerCallContext context)
    {
        var response = new ControllerGetCapabilitiesResponse();
        response.Capabilities.AddRange(Capabilities.Select(type => new ControllerServiceCapability { Rpc = new ControllerServiceCapability.Types.RPC { Type = type } }));
        return Task.FromResult(response);
    }

    public override Task<CreateVolumeResponse> CreateVolume(CreateVolumeRequest request, ServerCallContext context)
        => CallGuard.RunAsync(_logger, _metrics, nameof(CreateVolume), async () =>
        {
            if (request.Name.Length == 0)
            {
                throw CallGuard.Invalid("name: missing");
            }
            var (block, fileSystem) = CapabilityRules.Check(request.VolumeCapabilities, "volume_capabilities");
            CheckTopology(request.AccessibilityRequirements);
            string? snapshotId = null;
            string? volumeId = null;
            switch (request.VolumeContentSource?.TypeCase)
            {
                case VolumeContentSource.TypeOneofCase.Snapshot:
                    snapshotId = request.VolumeContentSource.Snapshot.SnapshotId;
                    if (snapshotId.Length == 0)
                    {
                        throw CallGuard.Invalid("volume_content_source.snapshot.snapshot_id: missing");
                    }
                    break;
                case VolumeContentSource.TypeOneofCase.Volume:
                    volumeId = request.VolumeContentSource.Volume.VolumeId;
                    if (volumeId.Length == 0)
                    {
                        throw CallGuard.Invalid("volume_content_source.volume.volume_id: missing");
                    }
                    break;
                case VolumeContentSource.TypeOneofCase.None or null:
                    break;
                default:
                    throw CallGuard.Invalid("volume_content_source: only snapshot and volume sources are served");
            }
            var spec = new CreateVolumeSpec(
                request.Name,
                request.CapacityRange?.RequiredBytes ?? 0,
                request.CapacityRange?.LimitBytes ?? 0,
                block,
                fileSystem,
                request.Parameters,
                snapshotId,
                volumeId);
            var record = await _catalog.CreateVolumeAsync(spec, context.CancellationToken).ConfigureAwait(false);
            return new CreateVolumeResponse { Volume = ToVolume(record) };
        });

    public override Task<DeleteVolumeResponse> DeleteVolume(DeleteVolumeRequest request, ServerCallContext context)
        => CallGuard.RunAsync(_logger, _metrics, nameof(DeleteVolume), async () =>
        {
            if (request.VolumeId.Length == 0)
            {
                throw CallGuard.Invalid("volume_id: missing");
            }
            await _catalog.DeleteVolumeAsync(request.VolumeId, context.CancellationToken).ConfigureAwait(false);
            return new DeleteVolumeResponse();
        });

    public override Task<ValidateVolumeCapabilitiesResponse> ValidateVolumeCapabilities(ValidateVolumeCapabilitiesRequest request, ServerCallContext context)
        => CallGuard.RunAsync(_logger, _metrics, nameof(ValidateVolumeCapabilities), () =>
        {
            if (request.VolumeId.Length == 0)
            {
                throw CallGuard.Invalid("volume_id: missing");
            }
            if (request.VolumeCapabilities.Count == 0)
            {
                throw CallGuard.Invalid("volume_capabilities: missing");
            }
            var volume = _catalog.GetVolume(request.VolumeId, "volume_id");
            var problems = request.VolumeCapabilities.Select(c => CapabilityRules.Unsupported(volume, c)).OfType<string>().ToList();
            var response = new ValidateVolumeCapabilitiesResponse();
            if (problems.Count > 0)
            {
                response.Message = string.Join("; ", problems);
                return Task.FromResult(response);
            }
            response.Confirmed = new ValidateVolumeCapabilitiesResponse.Types.Confirmed();
            response.Confirmed.VolumeCapabilities.AddRange(request.VolumeCapabilities);
            response.Confirmed.VolumeContext.Add(request.VolumeContext);
            response.Confirmed.Parameters.Add(request.Parameters);
            return Task.FromResult(response);
        });

    public override Task<ListVolumesResponse> ListVolumes(ListVolumesRequest request, ServerCallContext context)
        => CallGuard.RunAsync(_logger, _metrics, nameof(ListVolumes), () =>
        {
            var page = _catalog.ListVolumes(request.MaxEntries, request.StartingToken);
            var response = new ListVolumesResponse { NextToken = page.NextToken };
            response.Entries.AddRange(page.Entries.Select(v => new ListVolumesResponse.Types.Entry { Volume = ToVolume(v) }));
            return Task.FromResult(response);
        });

    public override Task<GetCapacityResponse> GetCapacity(GetCapacityRequest request, ServerCallContext context)
        => CallGuard.RunAsync(_logger, _metrics, nameof(GetCapacity), () =>
        {
            foreach (var capability in request.VolumeCapabilities)
            {
                CapabilityRules.Check(capability, "volume_capabilities");
            }
            var capacity = _catalog.GetCapacity(request.Parameters);
            var here = request.AccessibleTopology is null || request.AccessibleTopology.Segments.Count == 0 || IsThisNode(request.AccessibleTopology);
            var available = here ? capacity.AvailableBytes : 0;
            return Task.FromResult(new GetCapacityResponse { AvailableCapacity = available, MaximumVolumeSize = available });
        });

    public override Task<ControllerExpandVolumeResponse> ControllerExpandVolume(ControllerExpandVolumeRequest request, ServerCallContext context)
        => CallGuard.RunAsync(_logger, _metrics, nameof(ControllerExpandVolume), async () =>
        {
            if (request.VolumeId.Length == 0)
            {
                throw CallGuard.Invalid("volume_id: missing");
            }
            if (request.CapacityRange is null)
            {
                throw CallGuard.Invalid("capacity_range: missing");
            }
            if (request.VolumeCapability is not null)
            {
                CapabilityRules.Check(request.VolumeCapability, "volume_capability");
            }
            var (capacity, nodeExpansion) = await _catalog.ExpandVolumeAsync(request.VolumeId, request.CapacityRange.RequiredBytes, request.CapacityRange.LimitBytes, context.CancellationToken).ConfigureAwait(false);
            return new ControllerExpandVolumeResponse { CapacityBytes = capacity, NodeExpansionRequired = nodeExpansion };
        });

    public override Task<CreateSnapshotResponse> CreateSnapshot(CreateSnapshotRequest request, ServerCallContext context)
        => CallGuard.RunAsync(_logger, _metrics, nameof(CreateSnapshot), async () =>
        {
            if (request.Name.Length == 0)
            {
                throw CallGuard.Invalid("name: missing");
            }
            if (request.SourceVolumeId.Length == 0)
            {
                throw CallGuard.Invalid("source_volume_id: missing");
            }
            if (request.Parameters.Count > 0)
            {
                throw CallGuard.Invalid($"parameters: this driver takes no snapshot parameters (got {string.Join(", ", request.Parameters.Keys)})");
            }
            var snapshot = await _catalog.CreateSnapshotAsync(request.Name, request.SourceVolumeId, context.CancellationToken).ConfigureAwait(false);
            return new CreateSnapshotResponse { Snapshot = ToSnapshot(snapshot) };
        });

    public override Task<DeleteSnapshotResponse> DeleteSnapshot(DeleteSnapshotRequest request, ServerCallContext context)
        => CallGuard.RunAsync(_logger, _metrics, nameof(DeleteSnapshot), async () =>
        {
            if (request.SnapshotId.Length == 0)
            {
                throw CallGuard.Invalid("snapshot_id: missing");
            }
            await _catalog.DeleteSnapshotAsync(request.SnapshotId, context.CancellationToken).ConfigureAwait(false);
            return new DeleteSnapshotResponse();
        });

    public override Task<ListSnapshotsResponse> ListSnapshots(ListSnapshotsRequest request, ServerCallContext context)
        => CallGuard.RunAsync(_logger, _metrics, nameof(ListSnapshots), () =>
        {
            var page = _catalog.ListSnapshots(
                request.MaxEntries,
                request.StartingToken,
                request.SnapshotId.Length > 0 ? request.SnapshotId : null,
                request.SourceVolumeId.Length > 0 ? request.SourceVolumeId : null);
            var response = new ListSnapshotsResponse { NextToken = page.NextToken };
            response.Entries.AddRange(page.Entries.Select(s => new ListSnapshotsResponse.Types.Entry { Snapshot = ToSnapshot(s) }));
            return Task.FromResult(response);
        });

    private void CheckTopology(TopologyRequirement? requirement)
    {
        if (requirement is null || requirement.Requisite.Count == 0)
        {
            return;
        }
        if (!requirement.Requisite.Any(IsThisNode))
        {
            throw new VolumeException(VolumeErrorKind.ResourceExhausted, $"accessibility_requirements.requisite: none of the segments is this node ({_options.TopologyKey}={_options.NodeId}); this controller provisions on its own node only");
        }
    }

    private bool IsThisNode(Topology topology)
        => topology.Segments.TryGetValue(_options.TopologyKey, out var node) && node == _options.NodeId;

    private Volume ToVolume(VolumeRecord record)
    {
        var volume = new Volume { VolumeId = record.Id, CapacityBytes = record.CapacityBytes };
        volume.VolumeContext.Add("pool", record.Pool);
        var topology = new Topology();
        topology.Segments.Add(_options.TopologyKey, _options.NodeId);
        volume.AccessibleTopology.Add(topology);
        if (record.SourceSnapshotId is { } snapshotId)
        {
            volume.ContentSource = new VolumeContentSource { Snapshot = new VolumeContentSource.Types.SnapshotSource { SnapshotId = snapshotId } };
        }
        else if (record.SourceVolumeId is { } volumeId)
        {
            volume.ContentSource = new VolumeContentSource { Volume = new VolumeContentSource.Types.VolumeSource { VolumeId = volumeId } };
        }
        return volume;
    }

    private static Snapshot ToSnapshot(SnapshotRecord record) => new()
    {
        SnapshotId = record.Id,
        SourceVolumeId = record.SourceVolumeId,
        SizeBytes = record.SizeBytes,
        CreationTime = Timestamp.FromDateTimeOffset(record.CreatedAt),
        ReadyToUse = true,
    };
}
