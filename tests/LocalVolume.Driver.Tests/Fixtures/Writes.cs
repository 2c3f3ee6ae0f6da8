namespace LocalVolume.Driver.Tests.Fixtures;

/// <summary>Fills files until the kernel refuses, to prove a capacity holds.</summary>
public static class Writes
{
    /// <summary>
    /// Writes 1 MiB blocks of non-zero data to a new file, flushing each to disk, until the kernel refuses (ENOSPC or
    /// EDQUOT) or <paramref name="maxBytes"/> is written. Returns the bytes written and the refusal, if any.
    /// </summary>
    public static (long Written, IOException? Refusal) Fill(string path, long maxBytes)
    {
        var block = new byte[1 << 20];
        new Random(7).NextBytes(block);
        long written = 0;
        try
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            while (written < maxBytes)
            {
                stream.Write(block);
                stream.Flush(flushToDisk: true);
                written += block.Length;
            }
        }
        catch (IOException e)
        {
            return (written, e);
        }
        return (written, null);
    }

    /// <summary>Whether the refusal is the kernel's "no space" or "quota exceeded".</summary>
    public static bool IsOutOfSpace(IOException? e)
        => e is not null && (e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("quota", StringComparison.OrdinalIgnoreCase));
}
