using Csi.V1;
using Grpc.Core;
using SecretsStore.Driver.CsiServices;

namespace SecretsStore.Driver.Tests.Unit;

public class NodePublishValidationTests
{
    [Fact]
    public void ToDomain_ValidRequest_ReadsPodInfo()
    {
        var publish = NodePublishValidation.ToDomain(Valid());
        Assert.Equal("spc", publish.SecretProviderClass);
        Assert.Equal("web", publish.PodName);
        Assert.Equal("apps", publish.PodNamespace);
        Assert.Equal("uid-1", publish.PodUid);
    }

    [Fact]
    public void ToDomain_NoPodNamespace_UsesDefault()
    {
        var request = Valid();
        request.VolumeContext.Remove("csi.storage.k8s.io/pod.namespace");
        Assert.Equal("default", NodePublishValidation.ToDomain(request).PodNamespace);
    }

    public static TheoryData<string, string> InvalidCases => new()
    {
        { "volume_id", "volume_id is missing" },
        { "target_path", "target_path is missing" },
        { "relative_target", "is not an absolute path" },
        { "dotdot_target", "must not contain '..'" },
        { "volume_capability", "volume_capability is missing" },
        { "block", "block access is not supported" },
        { "volume_context", "volume_context is empty" },
        { "secretProviderClass", "volume_context.secretProviderClass is missing" },
        { "readonly", "readonly is not true; set readOnly: true" },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void ToDomain_BadRequest_IsInvalidArgumentNamingTheField(string breakWhat, string expected)
    {
        var request = Valid();
        switch (breakWhat)
        {
            case "volume_id": request.VolumeId = ""; break;
            case "target_path": request.TargetPath = ""; break;
            case "relative_target": request.TargetPath = "pods/x/mount"; break;
            case "dotdot_target": request.TargetPath = "/var/lib/../etc"; break;
            case "volume_capability": request.VolumeCapability = null; break;
            case "block": request.VolumeCapability = new VolumeCapability { Block = new VolumeCapability.Types.BlockVolume() }; break;
            case "volume_context": request.VolumeContext.Clear(); break;
            case "secretProviderClass": request.VolumeContext.Remove("secretProviderClass"); break;
            case "readonly": request.Readonly = false; break;
        }

        var error = Assert.Throws<RpcException>(() => NodePublishValidation.ToDomain(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckUnpublish_RequiresVolumeIdAndAbsoluteTarget()
    {
        Assert.Equal(StatusCode.InvalidArgument, Assert.Throws<RpcException>(() => NodePublishValidation.CheckUnpublish(new NodeUnpublishVolumeRequest { TargetPath = "/t" })).StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, Assert.Throws<RpcException>(() => NodePublishValidation.CheckUnpublish(new NodeUnpublishVolumeRequest { VolumeId = "v" })).StatusCode);
        NodePublishValidation.CheckUnpublish(new NodeUnpublishVolumeRequest { VolumeId = "v", TargetPath = "/t" });
    }

    private static NodePublishVolumeRequest Valid()
    {
        var request = new NodePublishVolumeRequest
        {
            VolumeId = "csi-123",
            TargetPath = "/var/lib/kubelet/pods/uid-1/volumes/kubernetes.io~csi/secrets/mount",
            Readonly = true,
            VolumeCapability = new VolumeCapability
            {
                Mount = new VolumeCapability.Types.MountVolume(),
                AccessMode = new VolumeCapability.Types.AccessMode { Mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeReaderOnly },
            },
        };
        request.VolumeContext.Add("secretProviderClass", "spc");
        request.VolumeContext.Add("csi.storage.k8s.io/pod.name", "web");
        request.VolumeContext.Add("csi.storage.k8s.io/pod.namespace", "apps");
        request.VolumeContext.Add("csi.storage.k8s.io/pod.uid", "uid-1");
        return request;
    }
}
