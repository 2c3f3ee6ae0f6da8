using System.Net;
using Csi.Common.Flags;
using LocalVolume.Driver.Pools;

namespace LocalVolume.Driver;

/// <summary>The driver's command line, validated in one place; a bad value stops the start with the flag's name.</summary>
public sealed class DriverOptions
{
    public const string DefaultDriverName = "local.csi.csi-suite.dev";

    public string Endpoint { get; set; } = "unix:///csi/csi.sock";

    public string DriverName { get; set; } = DefaultDriverName;

    public string NodeId { get; set; } = string.Empty;

    public DriverMode Mode { get; set; } = DriverMode.All;

    /// <summary>The pools in flag order; the first is the default pool.</summary>
    public List<PoolDefinition> Pools { get; } = [];

    public long MaxVolumesPerNode { get; set; }

    public string MetricsAddr { get; set; } = string.Empty;

    public bool LogFormatJson { get; set; }

    public int LogVerbosity { get; set; }

    public bool ShowVersion { get; set; }

    public bool ShowHelp { get; set; }

    /// <summary>The topology key of the node segment: <c>topology.&lt;driver name&gt;/node</c>.</summary>
    public string TopologyKey => "topology." + DriverName + "/node";

    public string SocketPath => global::Csi.Common.GrpcEndpoint.ParseUnixSocketPath(Endpoint);

    public bool ServesController => Mode is DriverMode.All or DriverMode.Controller;

    public bool ServesNode => Mode is DriverMode.All or DriverMode.Node;

    public static DriverOptions Parse(IReadOnlyList<string> args)
    {
        var options = new DriverOptions();
        var flags = Define(options);
        flags.ParseFlagsOnly(args);
        options.Validate();
        return options;
    }

    public static string Usage() => Define(new DriverOptions()).Usage();

    private static FlagSet Define(DriverOptions o)
    {
        var flags = new FlagSet("local-volume-csi-driver");
        flags.AddString("endpoint", o.Endpoint, "CSI endpoint: a unix socket (unix:///path or /path)", v => o.Endpoint = v);
        flags.AddString("drivername", o.DriverName, "name of the driver, as registered with kubelet and named by StorageClasses", v => o.DriverName = v);
        flags.AddString("nodeid", o.NodeId, "node id reported by NodeGetInfo and used as the topology segment; defaults to this host's name", v => o.NodeId = v);
        flags.AddString("mode", "all", "services to serve: controller, node or all", v => o.Mode = v switch
        {
            "all" => DriverMode.All,
            "controller" => DriverMode.Controller,
            "node" => DriverMode.Node,
            _ => throw new FlagException($"--mode: \"{v}\" is not controller, node or all"),
        });
        flags.AddString("pool", string.Empty, "a pool, " + PoolFlag.Syntax + "; repeat for more pools; the first is the default", v =>
        {
            if (v.Length > 0)
            {
                o.Pools.Add(PoolFlag.Parse(v));
            }
        });
        flags.AddInt("max-volumes-per-node", 0, "volumes this node may hold published, reported by NodeGetInfo; 0 means no limit", v => o.MaxVolumesPerNode = v);
        flags.AddString("metrics-addr", o.MetricsAddr, "address for /metrics and /healthz ([host]:port); empty disables", v => o.MetricsAddr = v);
        flags.AddBool("log-format-json", o.LogFormatJson, "write logs as JSON lines", v => o.LogFormatJson = v);
        flags.AddInt("v", 0, "log verbosity (0 info; 4 and above debug)", v => o.LogVerbosity = (int)Math.Clamp(v, 0, 10));
        flags.AddBool("version", false, "print the version as JSON and exit", v => o.ShowVersion = v);
        flags.AddBool("help", false, "print this help and exit", v => o.ShowHelp = v);
        return flags;
    }

    private void Validate()
    {
        if (ShowVersion || ShowHelp)
        {
            return;
        }
        try
        {
            _ = SocketPath;
        }
        catch (ArgumentException e)
        {
            throw new FlagException($"--endpoint: {e.Message}", e);
        }
        if (DriverName.Length is 0 or > 63 || !DriverName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') || !char.IsAsciiLetterOrDigit(DriverName[0]))
        {
            throw new FlagException($"--drivername: \"{DriverName}\" must be at most 63 characters of letters, digits, '-' and '.', starting with a letter or digit");
        }
        if (string.IsNullOrEmpty(NodeId))
        {
            NodeId = Dns.GetHostName();
        }
        if (Pools.Count == 0)
        {
            throw new FlagException($"--pool: at least one pool is needed, e.g. --pool=name=fast,dir=/var/lib/local-volume/fast,size=100Gi,layout=subvolume");
        }
        var duplicate = Pools.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FlagException($"--pool: pool name \"{duplicate.Key}\" is given twice");
        }
        var sharedDirectory = Pools.GroupBy(p => p.Directory, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (sharedDirectory is not null)
        {
            throw new FlagException($"--pool: directory {sharedDirectory.Key} is given to more than one pool");
        }
        if (MaxVolumesPerNode < 0)
        {
            throw new FlagException("--max-volumes-per-node: must be 0 (no limit) or more");
        }
        if (MetricsAddr.Length > 0 && !global::Csi.Common.ListenAddress.TryParse(MetricsAddr, out _))
        {
            throw new FlagException($"--metrics-addr: \"{MetricsAddr}\" is not [host]:port, e.g. :8096 or 127.0.0.1:8096");
        }
    }
}
