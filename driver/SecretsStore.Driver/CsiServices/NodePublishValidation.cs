using Csi.Common;
using Csi.V1;
using Grpc.Core;
using SecretsStore.Driver.Publishing;

namespace SecretsStore.Driver.CsiServices;

/// <summary>Checks a kubelet request before anything happens, and says which field is wrong and how to fix it.</summary>
public static class NodePublishValidation
{
    public static PublishVolumeRequest ToDomain(NodePublishVolumeRequest request)
    {
        if (string.IsNullOrEmpty(request.VolumeId))
        {
            throw Invalid("volume_id is missing");
        }
        CheckTargetPath(request.TargetPath);
        if (request.VolumeCapability is null)
        {
            throw Invalid("volume_capability is missing");
        }
        if (request.VolumeCapability.AccessTypeCase == VolumeCapability.AccessTypeOneofCase.Block)
        {
            throw Invalid("volume_capability: block access is not supported; the driver serves files, use a filesystem (mount) volume");
        }
        if (request.VolumeContext.Count == 0)
        {
            throw Invalid("volume_context is empty; set volumeAttributes.secretProviderClass on the pod's csi volume");
        }
        if (!request.VolumeContext.TryGetValue(PublishVolumeRequest.SecretProviderClassKey, out var spc) || spc.Length == 0)
        {
            throw Invalid("volume_context.secretProviderClass is missing; set volumeAttributes.secretProviderClass on the pod's csi volume");
        }
        if (!request.Readonly)
        {
            throw Invalid("readonly is not true; set readOnly: true on the pod's csi volume");
        }

        var context = new Dictionary<string, string>(request.VolumeContext, StringComparer.Ordinal);
        var secrets = new Dictionary<string, string>(request.Secrets, StringComparer.Ordinal);
        return new PublishVolumeRequest(
            request.VolumeId,
            request.TargetPath,
            spc,
            context.GetValueOrDefault(VolumeContextKeys.PodName, string.Empty),
            context.GetValueOrDefault(VolumeContextKeys.PodNamespace, string.Empty) is { Length: > 0 } ns ? ns : SecretProviderClasses.SecretProviderClassManifest.DefaultNamespace,
            context.GetValueOrDefault(VolumeContextKeys.PodUid, string.Empty),
            context,
            secrets);
    }

    public static void CheckUnpublish(NodeUnpublishVolumeRequest request)
    {
        if (string.IsNullOrEmpty(request.VolumeId))
        {
            throw Invalid("volume_id is missing");
        }
        CheckTargetPath(request.TargetPath);
    }

    private static void CheckTargetPath(string targetPath)
    {
        if (string.IsNullOrEmpty(targetPath))
        {
            throw Invalid("target_path is missing");
        }
        if (!Path.IsPathFullyQualified(targetPath))
        {
            throw Invalid($"target_path \"{targetPath}\" is not an absolute path");
        }
        if (targetPath.Split('/').Contains(".."))
        {
            throw Invalid($"target_path \"{targetPath}\" must not contain '..'");
        }
    }

    private static RpcException Invalid(string message) => new(new Grpc.Core.Status(StatusCode.InvalidArgument, message));
}
