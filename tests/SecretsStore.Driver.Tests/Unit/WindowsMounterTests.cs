using Csi.Common.Mounting;

namespace SecretsStore.Driver.Tests.Unit;

/// <summary>A Windows node's mount layer: plain directories and upstream's "a non-empty directory is mounted" rule, on real files.</summary>
public sealed class WindowsMounterTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("windows-mounter-").FullName;
    private readonly WindowsMounter _mounter = new();

    private string Target => Path.Combine(_root, "pods", "uid-1", "volumes", "kubernetes.io~csi", "secrets", "mount");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void GetState_NothingThere_IsMissing()
        => Assert.Equal(MountPointState.Missing, _mounter.GetState(Target));

    [Fact]
    public void GetState_EmptyDirectory_IsNotMounted()
    {
        Directory.CreateDirectory(Target);

        Assert.Equal(MountPointState.NotMounted, _mounter.GetState(Target));
    }

    [Fact]
    public void GetState_DirectoryWithAFile_IsMounted()
    {
        Directory.CreateDirectory(Target);
        File.WriteAllText(Path.Combine(Target, "a"), "1");

        Assert.Equal(MountPointState.Mounted, _mounter.GetState(Target));
    }

    [Fact]
    public void GetState_DirectoryWithOnlyADanglingLink_IsMounted()
    {
        // Any entry counts, as upstream's ReadDir check: a half-written volume is still the driver's to clean.
        Directory.CreateDirectory(Target);
        File.CreateSymbolicLink(Path.Combine(Target, "..data"), "..gone");

        Assert.Equal(MountPointState.Mounted, _mounter.GetState(Target));
    }

    [Fact]
    public void MountTmpfs_CreatesTheDirectoryAndItsParents_WhichStaysNotMountedUntilWritten()
    {
        _mounter.MountTmpfs(Target, (UnixFileMode)Convert.ToInt32("755", 8));

        Assert.True(Directory.Exists(Target));
        Assert.Equal(MountPointState.NotMounted, _mounter.GetState(Target));
        Assert.Null(Csi.Testing.MountTable.At(Target));
    }

    [Fact]
    public void MountTmpfs_OnAnExistingDirectory_KeepsWhatIsInIt()
    {
        Directory.CreateDirectory(Target);
        File.WriteAllText(Path.Combine(Target, "a"), "1");

        _mounter.MountTmpfs(Target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        Assert.Equal("1", File.ReadAllText(Path.Combine(Target, "a")));
    }

    [Fact]
    public void Unmount_RemovesTheContentsAndTheDirectory_WithoutFollowingLinks()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_root, "outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "keep"), "kept");
        Directory.CreateDirectory(Path.Combine(Target, "..2026_01_01_00_00_00.1", "dir"));
        File.WriteAllText(Path.Combine(Target, "..2026_01_01_00_00_00.1", "dir", "b"), "2");
        File.CreateSymbolicLink(Path.Combine(Target, "..data"), "..2026_01_01_00_00_00.1");
        File.CreateSymbolicLink(Path.Combine(Target, "dir"), "..data/dir");
        Directory.CreateSymbolicLink(Path.Combine(Target, "escape"), outside);

        _mounter.Unmount(Target);

        Assert.False(Directory.Exists(Target));
        Assert.Equal(MountPointState.Missing, _mounter.GetState(Target));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(outside, "keep")));
        Assert.True(Directory.Exists(Path.GetDirectoryName(Target)), "the parent kubelet made stays");
    }

    [Fact]
    public void Unmount_EmptyDirectory_RemovesIt()
    {
        Directory.CreateDirectory(Target);

        _mounter.Unmount(Target);

        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public void Unmount_NothingThere_IsANoOp()
    {
        _mounter.Unmount(Target);

        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public void DeviceAndBindMounts_AreRefusedNamingTheWayToDoIt()
    {
        var device = Assert.Throws<NotSupportedException>(() => _mounter.MountDevice(@"\\.\PhysicalDrive1", Target, "ntfs", MountOptions.Parse([])));
        var bind = Assert.Throws<NotSupportedException>(() => _mounter.BindMount(_root, Target, MountOptions.Parse([])));

        Assert.Contains("csi-proxy", device.Message);
        Assert.Contains("csi-proxy", bind.Message);
    }
}
