using Csi.Common;
using Csi.V1;
using Grpc.Core;
using SecretsStore.Driver.Publishing;

namespace SecretsStore.Driver.CsiServices;

/// <summary>Checks a kubelet request before anything happens, and says which field is wrong and how to fix it.</summary>
public static class NodePublishValidation
{
    private const int MaxObjectNameLength = 253;
    private const int MaxNamespaceLength = 63;

    /// <param name="request">Kubelet's request.</param>
    /// <param name="targetPaths">The node's target path rules; null takes this machine's.</param>
    public static PublishVolumeRequest ToDomain(NodePublishVolumeRequest request, TargetPathRules? targetPaths = null)
    {
        CheckVolumeId(request.VolumeId);
        CheckTargetPath(request.TargetPath, targetPaths);
        CheckText("staging_target_path", request.StagingTargetPath);
        foreach (var (key, value) in request.VolumeContext)
        {
            CheckText("volume_context key", key);
            CheckText($"volume_context[\"{Printable(key)}\"]", value);
        }
        foreach (var (key, value) in request.Secrets)
        {
            CheckText("secrets key", key);
            // The value is a secret: name the key, never show the value.
            CheckText($"secrets[\"{Printable(key)}\"]", value);
        }
        foreach (var (key, value) in request.PublishContext)
        {
            CheckText("publish_context key", key);
            CheckText($"publish_context[\"{Printable(key)}\"]", value);
        }
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
        if (!IsObjectName(spc, MaxObjectNameLength))
        {
            throw Invalid($"volume_context.secretProviderClass \"{Printable(spc)}\" is not a valid object name: use at most {MaxObjectNameLength} lower-case letters, digits, '-' or '.', starting and ending with a letter or digit");
        }
        if (request.VolumeContext.TryGetValue(VolumeContextKeys.PodNamespace, out var podNamespace) && podNamespace.Length > 0
            && (!IsObjectName(podNamespace, MaxNamespaceLength) || podNamespace.Contains('.', StringComparison.Ordinal)))
        {
            throw Invalid($"volume_context[\"{VolumeContextKeys.PodNamespace}\"] \"{Printable(podNamespace)}\" is not a valid namespace name: use at most {MaxNamespaceLength} lower-case letters, digits or '-'");
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

    /// <param name="request">Kubelet's request.</param>
    /// <param name="targetPaths">The node's target path rules; null takes this machine's.</param>
    public static void CheckUnpublish(NodeUnpublishVolumeRequest request, TargetPathRules? targetPaths = null)
    {
        CheckVolumeId(request.VolumeId);
        CheckTargetPath(request.TargetPath, targetPaths);
    }

    private static void CheckVolumeId(string volumeId)
    {
        if (string.IsNullOrEmpty(volumeId))
        {
            throw Invalid("volume_id is missing");
        }
        CheckText("volume_id", volumeId);
    }

    private static void CheckTargetPath(string targetPath, TargetPathRules? rules)
    {
        if (string.IsNullOrEmpty(targetPath))
        {
            throw Invalid("target_path is missing");
        }
        // Before any path call: a NUL makes .NET's path APIs throw and the kernel cut the path short.
        CheckText("target_path", targetPath);
        if ((rules ?? NodePlatform.Current.TargetPaths).Check(targetPath) is { } problem)
        {
            throw Invalid(problem);
        }
    }

    private static void CheckText(string field, string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid($"{field} contains a NUL character");
        }
    }

    private static bool IsObjectName(string name, int maxLength)
        => name.Length <= maxLength
            && IsLowerAlphaNumeric(name[0]) && IsLowerAlphaNumeric(name[^1])
            && name.All(c => IsLowerAlphaNumeric(c) || c is '-' or '.');

    private static bool IsLowerAlphaNumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);

    /// <summary>A name as it can go into a message: control characters escaped, long names cut.</summary>
    internal static string Printable(string value)
    {
        var cut = value.Length > 80 ? value[..80] + "..." : value;
        return string.Concat(cut.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }

    private static RpcException Invalid(string message) => new(new Grpc.Core.Status(StatusCode.InvalidArgument, message));
}
