using Csi.Common.Mounting;
using Csi.V1;
using Grpc.Core;
using LocalVolume.Driver.Diagnostics;
using LocalVolume.Driver.Node;

namespace LocalVolume.Driver.CsiServices;

/// <summary>CSI Node: checks each request's fields and hands it to <see cref="NodeVolumes"/>.</summary>
public sealed class NodeService : Csi.V1.Node.NodeBase
{
    private static readonly NodeServiceCapability.Types.RPC.Types.Type[] Capabilities =
    [
        NodeServiceCapability.Types.RPC.Types.Type.StageUnstageVolume,
        NodeServiceCapability.Types.RPC.Types.Type.GetVolumeStats,
        NodeServiceCapability.Types.RPC.Types.Type.ExpandVolume,
        NodeServiceCapability.Types.RPC.Types.Type.VolumeCondition,
    ];

    private readonly NodeVolumes _volumes;
    private readonly DriverOptions _options;
    private readonly ILogger _logger;
    private readonly DriverMetrics _metrics;

    public NodeService(NodeVolumes volumes, DriverOptions options, ILogger<NodeService> logger, DriverMetrics metrics)
    {
        _volumes = volumes;
        _options = options;
        _logger = logger;
        _metrics = metrics;
    }

    public override Task<NodeGetCapabilitiesResponse> NodeGetCapabilities(NodeGetCapabilitiesRequest request, ServerCallContext context)
    {
        var response = new NodeGetCapabilitiesResponse();
        response.Capabilities.AddRange(Capabilities.Select(type => new NodeServiceCapability { Rpc = new NodeServiceCapability.Types.RPC { Type = type } }));
        return Task.FromResult(response);
    }

    public override Task<NodeGetInfoResponse> NodeGetInfo(NodeGetInfoRequest request, ServerCallContext context)
    {
        var topology = new Topology();
        topology.Segments.Add(_options.TopologyKey, _options.NodeId);
        return Task.FromResult(new NodeGetInfoResponse { NodeId = _options.NodeId, MaxVolumesPerNode = _options.MaxVolumesPerNode, AccessibleTopology = topology });
    }

    public override Task<NodeStageVolumeResponse> NodeStageVolume(NodeStageVolumeRequest request, ServerCallContext context)
        => CallGuard.RunAsync(_logger, _metrics, nameof(NodeStageVolume), async () =>
        {
            RequireVolumeId(request.VolumeId);
            if (request.StagingTargetPath.Length == 0)
            {
                throw CallGuard.Invalid("staging_target_path: missing");
            }
            var block = CapabilityRules.Check(request.VolumeCapability, "volume_capability");
            await _volumes.StageAsync(request.VolumeId, request.StagingTargetPath, block, MountFlags(request.VolumeCapability), context.CancellationToken).ConfigureAwait(false);
            return new NodeStageVolumeResponse();
        });

    public override Task<NodeUnstageVolumeResponse> NodeUnstageVolume(NodeUnstageVolumeRequest request, ServerCallContext context)
        => CallGuard.RunAsync(_logger, _metrics, nameof(NodeUnstageVolume), async () =>
        {
            RequireVolumeId(request.VolumeId);
            if (request.StagingTargetPath.Length == 0)
            {
                throw CallGuard.Invalid("staging_target_path: missing");
            }
            await _volumes.UnstageAsync(request.VolumeId, request.StagingTargetPath, context.CancellationToken).ConfigureAwait(false);
            return new NodeUnstageVolumeResponse();
        });

    public override Task<NodePublishVolumeResponse> NodePublishVolume(NodePublishVolumeRequest request, ServerCallContext context)
        => CallGuard.RunAsync(_logger, _metrics, nameof(NodePublishVolume), async () =>
        {
            RequireVolumeId(request.VolumeId);
            if (request.TargetPath.Length == 0)
            {
                throw CallGuard.Invalid("target_path: missing");
            }
            var block = CapabilityRules.Check(request.VolumeCapability, "volume_capability");
            if (request.StagingTargetPath.Length == 0)
            {
                // STAGE_UNSTAGE_VOLUME is advertised, so a publish without a staging path is out of order.
                throw new Volumes.VolumeException(Volumes.VolumeErrorKind.FailedPrecondition, "staging_target_path: missing; NodeStageVolume comes first");
            }
            await _volumes.PublishAsync(request.VolumeId, request.StagingTargetPath, request.TargetPath, block, request.Readonly, MountFlags(request.VolumeCapability), context.CancellationToken).ConfigureAwait(false);
            return new NodePublishVolumeResponse();
        });

    public override Task<NodeUnpublishVolumeResponse> NodeUnpublishVolume(NodeUnpublishVolumeRequest request, ServerCallContext context)
        => CallGuard.RunAsync(_logger, _metrics, nameof(NodeUnpublishVolume), async () =>
        {
            RequireVolumeId(request.VolumeId);
            if (request.TargetPath.Length == 0)
            {
                throw CallGuard.Invalid("target_path: missing");
            }
            await _volumes.UnpublishAsync(request.VolumeId, request.TargetPath, context.CancellationToken).ConfigureAwait(false);
            return new NodeUnpublishVolumeResponse();
        });

    public override Task<NodeGetVolumeStatsResponse> NodeGetVolumeStats(NodeGetVolumeStatsRequest request, ServerCallContext context)
        => CallGuard.RunAsync(_logger, _metrics, nameof(NodeGetVolumeStats), async () =>
        {
            RequireVolumeId(request.VolumeId);
            if (request.VolumePath.Length == 0)
            {
                throw CallGuard.Invalid("volume_path: missing");
            }
            var usage = await _volumes.GetUsageAsync(request.VolumeId, request.VolumePath, context.CancellationToken).ConfigureAwait(false);
            var response = new NodeGetVolumeStatsResponse
            {
                VolumeCondition = new VolumeCondition { Abnormal = usage.Abnormal, Message = usage.Condition },
            };
            response.Usage.Add(new Csi.V1.VolumeUsage { Unit = Csi.V1.VolumeUsage.Types.Unit.Bytes, Total = usage.TotalBytes, Used = usage.UsedBytes, Available = usage.AvailableBytes });
            if (usage.TotalInodes is { } inodes)
            {
                response.Usage.Add(new Csi.V1.VolumeUsage { Unit = Csi.V1.VolumeUsage.Types.Unit.Inodes, Total = inodes, Used = usage.UsedInodes ?? 0, Available = usage.FreeInodes ?? 0 });
            }
            return response;
        });

    public override Task<NodeExpandVolumeResponse> NodeExpandVolume(NodeExpandVolumeRequest request, ServerCallContext context)
        => CallGuard.RunAsync(_logger, _metrics, nameof(NodeExpandVolume), async () =>
        {
            RequireVolumeId(request.VolumeId);
            if (request.VolumePath.Length == 0)
            {
                throw CallGuard.Invalid("volume_path: missing");
            }
            if (request.VolumeCapability is not null)
            {
                CapabilityRules.Check(request.VolumeCapability, "volume_capability");
            }
            var capacity = await _volumes.ExpandAsync(request.VolumeId, request.VolumePath, request.StagingTargetPath, context.CancellationToken).ConfigureAwait(false);
            return new NodeExpandVolumeResponse { CapacityBytes = capacity };
        });

    private static void RequireVolumeId(string volumeId)
    {
        if (volumeId.Length == 0)
        {
            throw CallGuard.Invalid("volume_id: missing");
        }
    }

    private static MountOptions MountFlags(VolumeCapability capability)
        => MountOptions.Parse(capability.Mount?.MountFlags ?? (IEnumerable<string>)[]);
}
