using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SecretsStore.Driver.VolumeState;

/// <summary>
/// One small JSON file per published volume in the driver's state directory (--state-dir), named by a hash of
/// the target path. Outside the tmpfs, because a pod lists every file of its volume; outside kubelet's volume
/// directory, because kubelet removes that directory with rmdir after NodeUnpublishVolume. Written atomically
/// (temporary file, then rename), readable by root only. Not flushed to disk: a record describes a tmpfs mount, which
/// a power loss or a reboot takes with it (kubelet then publishes every volume again), while the page cache outlives
/// a driver restart, the one case the record is read back for. A record a power loss cuts short reads back as an
/// error and is dropped like any other stale record.
/// </summary>
public sealed class VolumeStateStore
{
    private const string Extension = ".json";
    private const UnixFileMode RecordMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public VolumeStateStore(string directory)
    {
        StateDirectory = directory;
    }

    public string StateDirectory { get; }

    public void Save(VolumeRecord record)
    {
        var path = PathOf(record.TargetPath);
        var temporary = path + ".tmp";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(record, VolumeStateJsonContext.Default.VolumeRecord);
        if (OperatingSystem.IsWindows())
        {
            // No file modes on Windows: the ACL the directory inherits decides who reads it.
            Directory.CreateDirectory(StateDirectory);
            File.WriteAllBytes(temporary, bytes);
        }
        else
        {
            Directory.CreateDirectory(StateDirectory, DirectoryMode);
            using var file = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = RecordMode, BufferSize = 0 });
            file.Write(bytes);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Every record in the directory; a file that cannot be read is returned as an error beside its path.</summary>
    public IEnumerable<(string Path, VolumeRecord? Record, string? Error)> ReadAll()
    {
        if (!Directory.Exists(StateDirectory))
        {
            yield break;
        }
        foreach (var path in Directory.EnumerateFiles(StateDirectory, "*" + Extension))
        {
            VolumeRecord? record = null;
            string? error = null;
            try
            {
                record = JsonSerializer.Deserialize(File.ReadAllBytes(path), VolumeStateJsonContext.Default.VolumeRecord);
                if (record is null || record.TargetPath.Length == 0 || PathOf(record.TargetPath) != path)
                {
                    (record, error) = (null, "not a volume record of this driver");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                error = e.Message;
            }
            yield return (path, record, error);
        }
    }

    public string PathOf(string targetPath)
        => Path.Combine(StateDirectory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(targetPath))) + Extension);
}
