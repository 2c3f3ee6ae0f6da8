using System.Runtime.Versioning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CsiProxy.Win.Server;

/// <summary>One named pipe per group, \\.\pipe\csi-proxy-&lt;group&gt;-&lt;version&gt;, with an explicit security descriptor instead of the OS default.</summary>
[SupportedOSPlatform("windows")]
public sealed class NamedPipeListeners : IProxyListeners
{
    public void Configure(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WebHost.UseNamedPipes(options =>
        {
            // CurrentUserOnly would shut out Administrators when the proxy runs as SYSTEM; the descriptor decides instead.
            options.CurrentUserOnly = false;
            options.PipeSecurity = PipeAcl.Create();
        });
    }

    public string KeyFor(ApiGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return group.PipeName;
    }

    public void Listen(KestrelServerOptions kestrel, ApiGroup group, Action<ListenOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(group);
        kestrel.ListenNamedPipe(group.PipeName, l =>
        {
            l.Protocols = HttpProtocols.Http2;
            configure(l);
        });
    }
}
