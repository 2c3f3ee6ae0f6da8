namespace Csi.Testing;

/// <summary>A fresh directory under the system temp folder; disposing unmounts whatever is mounted beneath it, then deletes it.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "csi-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    /// <summary>A path inside this directory; nothing is created.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Creates a sub-directory and returns its path.</summary>
    public string CreateDirectory(params string[] parts) => Directory.CreateDirectory(Combine(parts)).FullName;

    public void Dispose()
    {
        MountTable.UnmountBeneath(Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
