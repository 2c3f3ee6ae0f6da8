using System.Diagnostics;
using System.Globalization;
using Csi.Common.Mounting;
using Csi.Testing;

namespace Csi.Benchmarks;

/// <summary>
/// The least a local volume can cost: the steps the driver takes for one volume, done directly and nothing else.
/// Subvolume: <c>btrfs subvolume create</c> + <c>btrfs qgroup limit</c>, bind-mounted on the staging path and from
/// there on the target. Image: a sparse file (ftruncate), <c>losetup --find --show</c>, <c>mkfs.ext4 -q -m 0</c>,
/// mount(2) on the staging path, bind-mounted on the target. Teardown undoes it in reverse.
/// </summary>
internal sealed class LocalVolumeBaseline
{
    private static readonly MountOptions NoOptions = MountOptions.Parse([]);

    private readonly LinuxMounter _mounter = new();
    private readonly string _layout;
    private readonly string _directory;
    private readonly long _bytes;

    /// <param name="layout">"subvolume" or "image".</param>
    /// <param name="directory">Where the subvolumes or image files go: on the pool's btrfs for subvolumes.</param>
    /// <param name="bytes">Each volume's size.</param>
    public LocalVolumeBaseline(string layout, string directory, long bytes)
    {
        _layout = layout;
        _directory = Directory.CreateDirectory(directory).FullName;
        _bytes = bytes;
    }

    /// <summary>One volume made by the baseline: its backing path, loop device (image only), staging and target.</summary>
    internal sealed record Volume(string Backing, string? Device, string Staging, string Target);

    /// <summary>Makes, stages and publishes volume <paramref name="name"/>: makes the staging directory (as kubelet does) and the target.</summary>
    public (Volume Volume, TimeSpan Elapsed) Create(string name, string staging, string target)
    {
        var size = _bytes.ToString(CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(staging);
        if (_layout == LocalVolumeBenchmark.Subvolume)
        {
            var subvolume = Path.Combine(_directory, name);
            Shell.Run("btrfs", "subvolume", "create", subvolume);
            var volume = new Volume(subvolume, null, staging, target);
            try
            {
                Shell.Run("btrfs", "qgroup", "limit", size, subvolume);
                _mounter.BindMount(subvolume, staging, NoOptions);
                Directory.CreateDirectory(target);
                _mounter.BindMount(staging, target, NoOptions);
            }
            catch
            {
                Delete(volume);
                throw;
            }
            return (volume, clock.Elapsed);
        }

        var image = Path.Combine(_directory, name + ".img");
        using (var file = new FileStream(image, FileMode.CreateNew))
        {
            file.SetLength(_bytes);
        }
        string? device = null;
        try
        {
            device = Shell.Run("losetup", "--find", "--show", image).Trim();
            Shell.Run("mkfs.ext4", "-q", "-m", "0", device);
            _mounter.MountDevice(device, staging, "ext4", NoOptions);
            Directory.CreateDirectory(target);
            _mounter.BindMount(staging, target, NoOptions);
            return (new Volume(image, device, staging, target), clock.Elapsed);
        }
        catch
        {
            Delete(new Volume(image, device, staging, target));
            throw;
        }
    }

    /// <summary>Unpublishes, unstages and deletes the volume; returns the time it took. Tolerates a half-made volume.</summary>
    public TimeSpan Delete(Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var clock = Stopwatch.StartNew();
        UnmountIfMounted(volume.Target);
        if (Directory.Exists(volume.Target))
        {
            Directory.Delete(volume.Target);
        }
        UnmountIfMounted(volume.Staging);
        if (_layout == LocalVolumeBenchmark.Subvolume)
        {
            if (Directory.Exists(volume.Backing))
            {
                Shell.Run("btrfs", "subvolume", "delete", volume.Backing);
            }
        }
        else
        {
            if (volume.Device is { Length: > 0 } device)
            {
                Shell.Run("losetup", "--detach", device);
            }
            File.Delete(volume.Backing);
        }
        return clock.Elapsed;
    }

    private void UnmountIfMounted(string path)
    {
        if (_mounter.GetState(path) == MountPointState.Mounted)
        {
            _mounter.Unmount(path);
        }
    }
}
