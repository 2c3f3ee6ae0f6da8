using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CsiProxy.Win.Server;

/// <summary>Where each group listens: a named pipe per group on Windows, a unix socket per group in tests.</summary>
public interface IProxyListeners
{
    /// <summary>Transport settings that apply to every listener (the pipes' security descriptor).</summary>
    void Configure(WebApplicationBuilder builder);

    /// <summary>The <see cref="ListenerScope"/> key of the group's listener.</summary>
    string KeyFor(ApiGroup group);

    /// <summary>Adds the group's listener; <paramref name="configure"/> finishes its options.</summary>
    void Listen(KestrelServerOptions kestrel, ApiGroup group, Action<ListenOptions> configure);
}
