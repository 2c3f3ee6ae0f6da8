using System.Net;
using System.Net.Sockets;

namespace Csi.Testing;

/// <summary>Free TCP ports on 127.0.0.1.</summary>
public static class LoopbackPort
{
    /// <summary>A port the kernel just handed out and released; free unless someone grabs it in between.</summary>
    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
