namespace Csi.Testing;

/// <summary>
/// A pool directory for one test: for the subvolume layout a loop-backed btrfs made and mounted here, for the image
/// layout a plain directory. Disposing unmounts everything beneath, detaches every loop device of files here and
/// deletes it all.
/// </summary>
public sealed class StoragePool : IDisposable
{
    private readonly TempDirectory _root;

    private StoragePool(TempDirectory root, string directory, string layout)
    {
        _root = root;
        Directory = directory;
        Layout = layout;
    }

    /// <summary>The pool's directory, as given to --pool dir=.</summary>
    public string Directory { get; }

    public string Layout { get; }

    /// <summary>A scratch directory beside the pool for sockets, staging and target paths.</summary>
    public string Work => _root.CreateDirectory("work");

    public static StoragePool Btrfs(long sizeBytes = 3L << 30)
    {
        var root = new TempDirectory("lv-btrfs-");
        try
        {
            var image = root.Combine("btrfs.img");
            using (var file = new FileStream(image, FileMode.CreateNew))
            {
                file.SetLength(sizeBytes);
            }
            Shell.Run("mkfs.btrfs", "-q", image);
            var directory = root.CreateDirectory("pool");
            Shell.Run("mount", "-o", "loop", image, directory);
            return new StoragePool(root, directory, "subvolume");
        }
        catch
        {
            Cleanup(root);
            throw;
        }
    }

    public static StoragePool Images()
    {
        var root = new TempDirectory("lv-image-");
        return new StoragePool(root, root.CreateDirectory("pool"), "image");
    }

    /// <summary>
    /// An image pool on a tmpfs of <paramref name="sizeBytes"/> mounted here: volume files and the driver's state
    /// file stay in memory, so many volumes cost neither disk writes nor fsyncs.
    /// </summary>
    public static StoragePool ImagesInMemory(long sizeBytes = 256L << 20)
    {
        var root = new TempDirectory("lv-tmpfs-");
        try
        {
            var directory = root.CreateDirectory("pool");
            Shell.Run("mount", "-t", "tmpfs", "-o", "size=" + sizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "tmpfs", directory);
            return new StoragePool(root, directory, "image");
        }
        catch
        {
            Cleanup(root);
            throw;
        }
    }

    /// <summary>The --pool value for this pool.</summary>
    public string Flag(string name, long budgetBytes, string? fileSystem = null)
        => $"name={name},dir={Directory},size={budgetBytes},layout={Layout}" + (fileSystem is null ? "" : $",fstype={fileSystem}");

    public string VolumesDirectory => Path.Combine(Directory, "volumes");

    public string SnapshotsDirectory => Path.Combine(Directory, "snapshots");

    public string StateFile => Path.Combine(Directory, "local-volume-state.json");

    public void Dispose() => Cleanup(_root);

    private static void Cleanup(TempDirectory root)
    {
        // Targets and staging paths first (TempDirectory unmounts deepest first), then the loops of image volumes.
        MountTable.UnmountBeneath(root.Path);
        Shell.DetachLoopsUnder(root.Path);
        root.Dispose();
    }
}
