using Csi.Common;
using Csi.Common.Flags;
using CsiProxy.Win.Paths;

namespace CsiProxy.Win.Server;

/// <summary>The command line, spelled as upstream's csi-proxy spells it (one dash or two, Go style).</summary>
public static class ProxyFlags
{
    public const string Program = "csi-proxy";

    public static FlagSet Create(ProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var flags = new FlagSet(Program);
        flags.AddString("kubelet-path", ProxyOptions.DefaultKubeletPath, "the kubelet's root directory; callers may name paths inside it", v => options.KubeletPath = v);
        flags.AddString("working-dir", "", "another directory callers may name paths inside (repeatable)", v =>
        {
            if (v.Length > 0)
            {
                options.WorkingDirs.Add(v);
            }
        });
        flags.AddBool("windows-service", false, "run under the Windows service control manager (service name csiproxy)", v => options.WindowsService = v);
        flags.AddBool("require-privacy", true, "require SMB encryption on new SMB global mappings", v => options.RequirePrivacy = v);
        flags.AddString("metrics-bind-address", "", "address for /metrics, like :8888 or 127.0.0.1:8888; empty turns metrics off", v =>
        {
            if (v.Length == 0)
            {
                options.MetricsEndPoint = null;
            }
            else if (ListenAddress.TryParse(v, out var endPoint))
            {
                options.MetricsEndPoint = endPoint;
            }
            else
            {
                throw new FlagException($"--metrics-bind-address: \"{v}\" is not host:port");
            }
        });
        flags.AddInt("v", 0, "log verbosity (klog levels)", v => options.Verbosity = v);
        flags.AddString("log_file", "", "klog: write log lines to this file when -logtostderr=false", v => options.LogFile = v);
        flags.AddBool("logtostderr", true, "klog: log to standard error instead of -log_file", v => options.LogToStderr = v);
        flags.AddString("allow-service", "", "a host service the system group may query, start and stop (repeatable; default MSiSCSI)", v =>
        {
            if (v.Length > 0)
            {
                options.AllowedServices.Add(v);
            }
        });
        flags.AddBool("help", false, "print the flags and exit", v => options.ShowHelp = v);
        flags.AddBool("version", false, "print the version and exit", v => options.ShowVersion = v);
        return flags;
    }

    /// <summary>Parses and validates; a bad flag is a <see cref="FlagException"/> naming it.</summary>
    public static ProxyOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ProxyOptions();
        Create(options).ParseFlagsOnly(args);
        Validate(options);
        return options;
    }

    private static void Validate(ProxyOptions options)
    {
        foreach (var (flag, value) in options.WorkingDirs.Select(d => ("working-dir", d)).Prepend(("kubelet-path", options.KubeletPath)))
        {
            if (!WindowsPath.TryParse(value, out var path, out var reason))
            {
                throw new FlagException($"--{flag}: \"{value}\" {reason}");
            }
            if (path.Segments.Count == 0)
            {
                throw new FlagException($"--{flag}: \"{value}\" is a whole drive; name a directory");
            }
        }
        if (options.Verbosity < 0)
        {
            throw new FlagException("--v: must be 0 or more");
        }
        var allowed = options.ServiceAllowList();
        foreach (var name in options.AllowedServices)
        {
            try
            {
                allowed.Check("allow-service", name);
            }
            catch (ProxyException e)
            {
                throw new FlagException($"--{e.Message}");
            }
        }
    }
}
