using Csi.Common.Mounting;

namespace Csi.Common.Tests;

/// <summary>Mount point states on real mounts: the statx answer beside the mount table's (the same table, read through another path).</summary>
public sealed class LinuxMounterTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mounter-").FullName;
    private readonly LinuxMounter _mounter = new();
    private readonly LinuxMounter _byTable = new("/proc/thread-self/mountinfo");
    private readonly List<string> _mounted = [];

    [Fact]
    public void A_tmpfs_on_a_directory_is_mounted_and_after_unmount_is_not()
    {
        var target = Directory.CreateDirectory(Path.Combine(_root, "tmpfs")).FullName;
        Assert.Equal(MountPointState.NotMounted, _mounter.GetState(target));

        Mount(() => _mounter.MountTmpfs(target, (UnixFileMode)Convert.ToInt32("755", 8)), target);
        Assert.Equal(MountPointState.Mounted, _mounter.GetState(target));
        Assert.Equal(MountPointState.Mounted, _byTable.GetState(target));
        Assert.Equal(MountPointState.Mounted, _mounter.GetState(target + "/"));
        // This kernel (5.8 or later) answers by statx, without the mount table.
        Assert.True(LinuxMounter.IsMountRoot(target));
        Assert.False(LinuxMounter.IsMountRoot(_root));

        _mounter.Unmount(target);
        Assert.Equal(MountPointState.NotMounted, _mounter.GetState(target));
        Assert.Equal(MountPointState.NotMounted, _byTable.GetState(target));
    }

    [Fact]
    public void A_bind_mount_within_one_file_system_is_mounted_though_its_device_is_its_parents()
    {
        var source = Directory.CreateDirectory(Path.Combine(_root, "source")).FullName;
        var target = Directory.CreateDirectory(Path.Combine(_root, "target")).FullName;

        Mount(() => _mounter.BindMount(source, target, MountOptions.Parse([])), target);

        Assert.Equal(MountPointState.Mounted, _mounter.GetState(target));
        Assert.Equal(MountPointState.Mounted, _byTable.GetState(target));
        Assert.Equal(MountPointState.NotMounted, _mounter.GetState(source));
    }

    [Fact]
    public void A_directory_inside_a_mount_is_not_a_mount_point_and_a_missing_path_is_missing()
    {
        var target = Directory.CreateDirectory(Path.Combine(_root, "outer")).FullName;
        Mount(() => _mounter.MountTmpfs(target, (UnixFileMode)Convert.ToInt32("755", 8)), target);
        var inner = Directory.CreateDirectory(Path.Combine(target, "inner")).FullName;

        Assert.Equal(MountPointState.NotMounted, _mounter.GetState(inner));
        Assert.Equal(MountPointState.Missing, _mounter.GetState(Path.Combine(_root, "absent")));
    }

    private void Mount(Action mount, string target)
    {
        mount();
        _mounted.Add(target);
    }

    public void Dispose()
    {
        foreach (var target in _mounted)
        {
            _mounter.Unmount(target);
        }
        Directory.Delete(_root, recursive: true);
    }
}
