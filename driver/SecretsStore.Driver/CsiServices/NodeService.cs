using Csi.V1;
using Grpc.Core;
using SecretsStore.Driver.Publishing;

namespace SecretsStore.Driver.CsiServices;

/// <summary>CSI Node: publish and unpublish through <see cref="NodePublisher"/>; no stage, stats or expand.</summary>
public sealed class NodeService : Node.NodeBase
{
    private readonly NodePublisher _publisher;
    private readonly DriverOptions _options;
    private readonly TargetPathRules _targetPaths;

    public NodeService(NodePublisher publisher, DriverOptions options, NodePlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        _publisher = publisher;
        _options = options;
        _targetPaths = platform.TargetPaths;
    }

    public override async Task<NodePublishVolumeResponse> NodePublishVolume(NodePublishVolumeRequest request, ServerCallContext context)
    {
        var publish = NodePublishValidation.ToDomain(request, _targetPaths);
        try
        {
            await _publisher.PublishAsync(publish, context.CancellationToken).ConfigureAwait(false);
        }
        catch (SecretsStoreException e)
        {
            throw ErrorStatus.ToRpcException(e);
        }
        return new NodePublishVolumeResponse();
    }

    public override async Task<NodeUnpublishVolumeResponse> NodeUnpublishVolume(NodeUnpublishVolumeRequest request, ServerCallContext context)
    {
        NodePublishValidation.CheckUnpublish(request, _targetPaths);
        try
        {
            await _publisher.UnpublishAsync(request.VolumeId, request.TargetPath, context.CancellationToken).ConfigureAwait(false);
        }
        catch (SecretsStoreException e)
        {
            throw ErrorStatus.ToRpcException(e);
        }
        return new NodeUnpublishVolumeResponse();
    }

    public override Task<NodeGetInfoResponse> NodeGetInfo(NodeGetInfoRequest request, ServerCallContext context)
        => Task.FromResult(new NodeGetInfoResponse { NodeId = _options.NodeId });

    public override Task<NodeGetCapabilitiesResponse> NodeGetCapabilities(NodeGetCapabilitiesRequest request, ServerCallContext context)
        => Task.FromResult(new NodeGetCapabilitiesResponse());
}
