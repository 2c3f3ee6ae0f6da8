using System.Text.Json;

namespace LocalVolume.Driver.State;

/// <summary>
/// A pool's state file: written whole to a temporary file, flushed to disk, renamed over the old one and the directory
/// flushed, so a crash leaves either the old state or the new one, never a torn file.
/// </summary>
public sealed class PoolStateFile
{
    public const string FileName = "local-volume-state.json";

    public PoolStateFile(string poolDirectory)
    {
        Path = System.IO.Path.Combine(poolDirectory, FileName);
    }

    public string Path { get; }

    /// <summary>The last write time and length seen, so a reader can tell when another process changed the file.</summary>
    public (DateTime, long) Stamp()
    {
        var info = new FileInfo(Path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }

    public PoolState Load()
    {
        if (!File.Exists(Path))
        {
            return new PoolState();
        }
        var bytes = File.ReadAllBytes(Path);
        return JsonSerializer.Deserialize(bytes, StateJsonContext.Default.PoolState)
            ?? throw new InvalidDataException($"{Path} holds no state");
    }

    public void Save(PoolState state)
    {
        var temporary = Path + ".tmp";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(state, StateJsonContext.Default.PoolState);
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, Path, overwrite: true);
        FlushDirectory(System.IO.Path.GetDirectoryName(Path)!);
    }

    private static void FlushDirectory(string directory)
    {
        var handle = NativeFile.Open(directory, NativeFile.ReadOnlyDirectory);
        if (handle < 0)
        {
            return;
        }
        _ = NativeFile.FSync(handle);
        _ = NativeFile.Close(handle);
    }
}
