using Csi.Common.Mounting;

namespace Csi.Common.Tests;

public class MountInfoTests
{
    private const string Sample =
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n" +
        "35 22 0:31 / /var/lib/kubelet/pods/uid/volumes/kubernetes.io~csi/my\\040vol/mount rw,nosuid,nodev,relatime shared:20 master:3 - tmpfs tmpfs rw,mode=755\n" +
        "36 22 0:32 /sub /mnt/a\\134b rw - tmpfs tmpfs rw\n" +
        "garbage line\n";

    [Fact]
    public void Parse_ReadsFieldsAroundOptionalFields()
    {
        var entries = MountInfo.Parse(Sample);
        Assert.Equal(3, entries.Count);
        var csi = entries[1];
        Assert.Equal(35, csi.MountId);
        Assert.Equal(22, csi.ParentId);
        Assert.Equal("/var/lib/kubelet/pods/uid/volumes/kubernetes.io~csi/my vol/mount", csi.MountPoint);
        Assert.Equal("tmpfs", csi.FileSystemType);
        Assert.Equal("tmpfs", csi.Source);
        Assert.Equal("rw,nosuid,nodev,relatime", csi.MountOptions);
    }

    [Fact]
    public void Parse_UnescapesBackslash()
        => Assert.Equal("/mnt/a\\b", MountInfo.Parse(Sample)[2].MountPoint);

    [Fact]
    public void Find_MatchesEscapedMountPoints_AndReturnsTheTopmost()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, Sample + "40 35 0:40 / /var/lib/kubelet/pods/uid/volumes/kubernetes.io~csi/my\\040vol/mount rw - tmpfs tmpfs rw\n");
            var found = MountInfo.Find("/var/lib/kubelet/pods/uid/volumes/kubernetes.io~csi/my vol/mount", file);
            Assert.Equal(40, found?.MountId);
            Assert.Null(MountInfo.Find("/var/lib/kubelet/pods/uid", file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Read_TheRealMountTable_HasTheRoot()
        => Assert.Contains(MountInfo.Read(), e => e.MountPoint == "/");
}
