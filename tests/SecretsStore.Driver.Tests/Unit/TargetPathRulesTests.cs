using Csi.V1;
using Grpc.Core;
using SecretsStore.Driver.CsiServices;

namespace SecretsStore.Driver.Tests.Unit;

/// <summary>Kubelet's target path on each node kind, checked as text: the Windows rules run here on Linux.</summary>
public sealed class TargetPathRulesTests
{
    [Theory]
    [InlineData(@"c:\var\lib\kubelet\pods\0b5c\volumes\kubernetes.io~csi\secrets\mount")]
    [InlineData(@"C:\var\lib\kubelet\pods\0b5c\volumes\kubernetes.io~csi\secrets\mount\")]
    [InlineData("c:/var/lib/kubelet/pods/0b5c/volumes/kubernetes.io~csi/secrets/mount")]
    [InlineData(@"D:\kubelet\pods\0b5c\volumes\kubernetes.io~csi\secrets-store.csi.k8s.io\mount")]
    public void Windows_AcceptsKubeletPathsOnADrive(string path)
        => Assert.Null(TargetPathRules.Windows.Check(path));

    [Theory]
    [InlineData(@"\\fileserver\share\pods\mount", "is a UNC or device path")]
    [InlineData("//fileserver/share/pods/mount", "is a UNC or device path")]
    [InlineData(@"\\?\C:\var\lib\kubelet\pods\mount", "is a UNC or device path")]
    [InlineData(@"\\.\PhysicalDrive0", "is a UNC or device path")]
    [InlineData(@"var\lib\kubelet\pods\mount", "is not an absolute path with a drive letter")]
    [InlineData(@"\var\lib\kubelet\pods\mount", "is not an absolute path with a drive letter")]
    [InlineData(@"c:var\lib\kubelet\pods\mount", "is not an absolute path with a drive letter")]
    [InlineData("/var/lib/kubelet/pods/0b5c/volumes/kubernetes.io~csi/secrets/mount", "is not an absolute path with a drive letter")]
    [InlineData(@"c:\var\lib\kubelet\pods\..\..\..\windows\system32", "must not contain '..'")]
    [InlineData("c:/var/lib/kubelet/../../windows", "must not contain '..'")]
    [InlineData(@"c:\var\lib\kubelet/pods\..", "must not contain '..'")]
    [InlineData(@"c:\var\lib\.. \windows", "ending with '.' or a space")]
    [InlineData(@"c:\var\lib\...\windows", "ending with '.' or a space")]
    [InlineData(@"c:\var\lib\kubelet\pods\mount:stream", "holds a character Windows does not allow")]
    [InlineData(@"c:\var\lib\kubelet\pods\d:\mount", "holds a character Windows does not allow")]
    [InlineData(@"c:\var\lib\kubelet\pods\*", "holds a character Windows does not allow")]
    [InlineData("c:\\var\\lib\\kubelet\\pods\\a\u0001b", "holds a character Windows does not allow")]
    [InlineData(@"c:\", "is the root of a drive")]
    [InlineData(@"c:\\\", "is the root of a drive")]
    public void Windows_RefusesWhatIsNotALocalKubeletPath_SayingWhy(string path, string expected)
    {
        var problem = TargetPathRules.Windows.Check(path);

        Assert.NotNull(problem);
        Assert.StartsWith("target_path", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_RefusesAnElementLongerThanAFileNameCanBe()
    {
        var problem = TargetPathRules.Windows.Check(@"c:\var\lib\kubelet\" + new string('a', 256) + @"\mount");

        Assert.Contains("target_path is too long", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"c:\var\lib\kubelet\pods\0b5c\volumes\kubernetes.io~csi\secrets\mount", "is not an absolute path")]
    [InlineData("/var/lib/kubelet/../../etc", "must not contain '..'")]
    [InlineData("///", "is the root directory")]
    public void Linux_KeepsItsRules_AndRefusesAWindowsPath(string path, string expected)
        => Assert.Contains(expected, TargetPathRules.Linux.Check(path), StringComparison.Ordinal);

    [Fact]
    public void Linux_AcceptsAKubeletPath()
        => Assert.Null(TargetPathRules.Linux.Check("/var/lib/kubelet/pods/0b5c/volumes/kubernetes.io~csi/secrets/mount"));

    [Fact]
    public void Validation_WithTheWindowsRules_AcceptsAWindowsTarget()
    {
        var request = Request(@"c:\var\lib\kubelet\pods\0b5c\volumes\kubernetes.io~csi\secrets\mount");

        var publish = NodePublishValidation.ToDomain(request, TargetPathRules.Windows);

        Assert.Equal(request.TargetPath, publish.TargetPath);
        NodePublishValidation.CheckUnpublish(new NodeUnpublishVolumeRequest { VolumeId = "v", TargetPath = request.TargetPath }, TargetPathRules.Windows);
    }

    [Theory]
    [InlineData(@"c:\var\lib\kubelet\pods\..\..\..\windows")]
    [InlineData(@"\\fileserver\share\mount")]
    public void Validation_WithTheWindowsRules_RefusesTraversalAndUncAsInvalidArgument(string path)
    {
        var publish = Assert.Throws<RpcException>(() => NodePublishValidation.ToDomain(Request(path), TargetPathRules.Windows));
        var unpublish = Assert.Throws<RpcException>(() => NodePublishValidation.CheckUnpublish(new NodeUnpublishVolumeRequest { VolumeId = "v", TargetPath = path }, TargetPathRules.Windows));

        Assert.Equal(StatusCode.InvalidArgument, publish.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, unpublish.StatusCode);
        Assert.StartsWith("target_path", publish.Status.Detail, StringComparison.Ordinal);
    }

    private static NodePublishVolumeRequest Request(string targetPath)
    {
        var request = new NodePublishVolumeRequest
        {
            VolumeId = "csi-1",
            TargetPath = targetPath,
            Readonly = true,
            VolumeCapability = new VolumeCapability { Mount = new VolumeCapability.Types.MountVolume() },
        };
        request.VolumeContext.Add("secretProviderClass", "spc");
        return request;
    }
}
