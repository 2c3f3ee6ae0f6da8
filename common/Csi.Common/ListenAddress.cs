using System.Globalization;
using System.Net;

namespace Csi.Common;

/// <summary>Parses Go-style listen addresses: ":8080", "127.0.0.1:8080", "[::1]:8080", "localhost:8080".</summary>
public static class ListenAddress
{
    public static bool TryParse(string address, out IPEndPoint endPoint)
    {
        endPoint = new IPEndPoint(IPAddress.Any, 0);
        ArgumentNullException.ThrowIfNull(address);
        var colon = address.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return false;
        }
        var host = address[..colon].Trim('[', ']');
        IPAddress? ip;
        if (host.Length == 0)
        {
            ip = IPAddress.Any;
        }
        else if (host == "localhost")
        {
            ip = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host, out ip))
        {
            return false;
        }
        endPoint = new IPEndPoint(ip, port);
        return true;
    }
}
