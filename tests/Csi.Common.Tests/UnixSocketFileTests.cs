using System.Net.Sockets;

namespace Csi.Common.Tests;

public sealed class UnixSocketFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("socket-file-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void PrepareForBind_RemovesAFileNobodyServes_AndCreatesTheDirectory()
    {
        var path = Path.Combine(_dir, "nested", "csi.sock");
        UnixSocketFile.PrepareForBind(path);
        Assert.True(Directory.Exists(Path.GetDirectoryName(path)));

        // What a killed server leaves: a path nothing answers on.
        File.WriteAllText(path, string.Empty);
        UnixSocketFile.PrepareForBind(path);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void PrepareForBind_RefusesToTakeALiveSocket()
    {
        var path = Path.Combine(_dir, "csi.sock");
        using var listener = Listen(path);

        var error = Assert.Throws<IOException>(() => UnixSocketFile.PrepareForBind(path));

        Assert.Contains($"another process is serving on {path}", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(path));
    }

    private static Socket Listen(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen();
        return socket;
    }
}
