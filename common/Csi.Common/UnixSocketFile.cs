using System.Net.Sockets;

namespace Csi.Common;

/// <summary>Prepares the path a server binds its unix socket to.</summary>
public static class UnixSocketFile
{
    /// <summary>
    /// Creates the parent directory and removes a socket left by a previous run. A socket that still
    /// answers belongs to a running server: removing it would cut that server off, so this refuses.
    /// </summary>
    public static void PrepareForBind(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        if (!File.Exists(path))
        {
            return;
        }
        if (IsServed(path))
        {
            throw new IOException($"another process is serving on {path}; stop it first or choose another endpoint");
        }
        File.Delete(path);
    }

    private static bool IsServed(string path)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
