using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CsiProxy.Win.Server;

/// <summary>One unix socket per group in a directory, named as the pipes are (csi-proxy-disk-v1.sock): the same services, reachable where no Windows is.</summary>
public sealed class UnixSocketListeners : IProxyListeners
{
    private readonly string _directory;

    public UnixSocketListeners(string directory)
    {
        _directory = directory;
    }

    public string SocketPath(ApiGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return Path.Combine(_directory, group.PipeName + ".sock");
    }

    public void Configure(WebApplicationBuilder builder)
    {
    }

    public string KeyFor(ApiGroup group) => SocketPath(group);

    public void Listen(KestrelServerOptions kestrel, ApiGroup group, Action<ListenOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.ListenUnixSocket(SocketPath(group), l =>
        {
            l.Protocols = HttpProtocols.Http2;
            configure(l);
        });
    }
}
