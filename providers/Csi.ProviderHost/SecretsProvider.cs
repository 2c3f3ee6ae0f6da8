using System.Reflection;
using Csi.Common.Flags;
using Microsoft.Extensions.Logging;

namespace Csi.ProviderHost;

/// <summary>
/// A provider is one subclass: its name, its flags, and how it turns a parsed Mount into files and
/// versions. The host does the socket, parsing, checks, errors, health and metrics.
/// </summary>
public abstract class SecretsProvider
{
    /// <summary>The provider name: its socket is &lt;dir&gt;/&lt;name&gt;.sock and SecretProviderClasses name it in spec.provider.</summary>
    public abstract string Name { get; }

    /// <summary>What Version answers as runtime_name; upstream binaries report their binary name.</summary>
    public virtual string RuntimeName => Name;

    public virtual string Version =>
        GetType().Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Where the socket goes when neither --endpoint nor --provider-volume is given.</summary>
    public virtual string DefaultProviderVolume => "/var/run/secrets-store-csi-providers";

    /// <summary>Adds the provider's own flags; it may also bind upstream flag names to host options.</summary>
    public virtual void DefineFlags(FlagSet flags, ProviderHostOptions host)
    {
    }

    /// <summary>Checks the provider's flags after parsing; throws <see cref="FlagException"/> naming the flag.</summary>
    public virtual void ValidateFlags()
    {
    }

    /// <summary>Called once the host is built, with the host's logging (console or JSON, at the configured level).</summary>
    public virtual void UseLoggerFactory(ILoggerFactory loggerFactory)
    {
    }

    /// <summary>Called once the host is built, with the metrics the host serves (for the provider's credential caches).</summary>
    public virtual void UseMetrics(ProviderMetrics metrics)
    {
    }

    public abstract Task<MountResult> MountAsync(MountContext context, CancellationToken cancellationToken);
}
