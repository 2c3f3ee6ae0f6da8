using Csi.Common.Flags;
using Microsoft.Extensions.Logging;

namespace Csi.ProviderHost;

/// <summary>The flags every provider takes.</summary>
public sealed class ProviderHostOptions
{
    public string Endpoint { get; set; } = string.Empty;

    public string ProviderVolume { get; set; } = string.Empty;

    public string HealthAddr { get; set; } = ":8080";

    public string MetricsAddr { get; set; } = string.Empty;

    public int FetchConcurrency { get; set; } = 10;

    public bool LogFormatJson { get; set; }

    public int LogVerbosity { get; set; }

    /// <summary>Set by a provider's own log-level flag; otherwise -v decides.</summary>
    public LogLevel? MinimumLogLevel { get; set; }

    public bool ShowVersion { get; set; }

    public bool ShowHelp { get; set; }

    /// <summary>The socket: --endpoint if given, else &lt;--provider-volume&gt;/&lt;name&gt;.sock.</summary>
    public string SocketPath(string providerName)
        => Endpoint.Length > 0 ? Csi.Common.GrpcEndpoint.ParseUnixSocketPath(Endpoint) : Path.Combine(ProviderVolume, providerName + ".sock");

    public static ProviderHostOptions Parse(SecretsProvider provider, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var options = new ProviderHostOptions { ProviderVolume = provider.DefaultProviderVolume };
        var flags = Define(provider, options);
        flags.ParseFlagsOnly(args);
        if (options.ShowHelp || options.ShowVersion)
        {
            return options;
        }
        try
        {
            _ = options.SocketPath(provider.Name);
        }
        catch (ArgumentException e)
        {
            throw new FlagException($"--endpoint: {e.Message}", e);
        }
        foreach (var (flag, value) in new[] { ("health-addr", options.HealthAddr), ("metrics-addr", options.MetricsAddr) })
        {
            if (value.Length > 0 && !Csi.Common.ListenAddress.TryParse(value, out _))
            {
                throw new FlagException($"--{flag}: \"{value}\" is not [host]:port, e.g. :8080 or 127.0.0.1:8080");
            }
        }
        if (options.FetchConcurrency is < 1 or > 1000)
        {
            throw new FlagException("--fetch-concurrency: must be between 1 and 1000");
        }
        provider.ValidateFlags();
        return options;
    }

    public static string Usage(SecretsProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return Define(provider, new ProviderHostOptions { ProviderVolume = provider.DefaultProviderVolume }).Usage();
    }

    private static FlagSet Define(SecretsProvider provider, ProviderHostOptions o)
    {
        var flags = new FlagSet(provider.Name + "-provider");
        flags.AddString("endpoint", string.Empty, "unix socket to serve on (unix:///path or /path); default <provider-volume>/" + provider.Name + ".sock", v => o.Endpoint = v);
        flags.AddString("provider-volume", o.ProviderVolume, "directory the driver searches for provider sockets", v => o.ProviderVolume = v);
        flags.AddString("health-addr", o.HealthAddr, "address for /healthz and /health/ready ([host]:port); empty disables", v => o.HealthAddr = v);
        flags.AddString("metrics-addr", o.MetricsAddr, "address for /metrics; empty serves it on --health-addr", v => o.MetricsAddr = v);
        flags.AddInt("fetch-concurrency", o.FetchConcurrency, "objects fetched at once for one mount", v => o.FetchConcurrency = (int)Math.Clamp(v, int.MinValue, int.MaxValue));
        flags.AddBool("log-format-json", false, "write logs as JSON lines", v => o.LogFormatJson = v);
        flags.AddInt("v", 0, "log verbosity (0 info; 4 and above debug)", v => o.LogVerbosity = (int)Math.Clamp(v, 0, 10));
        flags.AddBool("version", false, "print the version and exit", v => o.ShowVersion = v);
        flags.AddBool("help", false, "print this help and exit", v => o.ShowHelp = v);
        provider.DefineFlags(flags, o);
        return flags;
    }
}
