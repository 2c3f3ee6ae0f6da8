using System.Globalization;
using Csi.Common.Flags;

namespace Csi.Provisioner;

/// <summary>The provisioner's command line, named and defaulted as external-provisioner's; validated in one place.</summary>
public sealed class ProvisionerOptions
{
    public const string Program = "csi-provisioner";

    public string CsiAddress { get; set; } = "/run/csi/socket";

    public string Kubeconfig { get; set; } = string.Empty;

    public string Master { get; set; } = string.Empty;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public int WorkerThreads { get; set; } = 100;

    public TimeSpan RetryIntervalStart { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryIntervalMax { get; set; } = TimeSpan.FromMinutes(5);

    public string VolumeNamePrefix { get; set; } = "pvc";

    public int VolumeNameUuidLength { get; set; } = -1;

    public double KubeApiQps { get; set; } = 5;

    public int KubeApiBurst { get; set; } = 10;

    public bool ExtraCreateMetadata { get; set; }

    public bool ImmediateTopology { get; set; } = true;

    public bool StrictTopology { get; set; }

    public string DefaultFsType { get; set; } = string.Empty;

    public bool LeaderElection { get; set; }

    public string LeaderElectionNamespace { get; set; } = string.Empty;

    public TimeSpan LeaderElectionLeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan LeaderElectionRenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan LeaderElectionRetryPeriod { get; set; } = TimeSpan.FromSeconds(5);

    public bool NodeDeployment { get; set; }

    public bool EnableCapacity { get; set; }

    public int CapacityOwnerrefLevel { get; set; } = 1;

    public TimeSpan CapacityPollInterval { get; set; } = TimeSpan.FromMinutes(1);

    public string HttpEndpoint { get; set; } = string.Empty;

    public string MetricsPath { get; set; } = "/metrics";

    public int LogVerbosity { get; set; }

    public bool LogFormatJson { get; set; }

    public bool ShowVersion { get; set; }

    public bool ShowHelp { get; set; }

    /// <summary>The feature gates as given (Topology is GA and always on).</summary>
    public Dictionary<string, bool> FeatureGates { get; } = new(StringComparer.Ordinal);

    public static ProvisionerOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ProvisionerOptions();
        Define(options).ParseFlagsOnly(args);
        options.Validate();
        return options;
    }

    public static string Usage() => Define(new ProvisionerOptions()).Usage();

    private static FlagSet Define(ProvisionerOptions o)
    {
        var flags = new FlagSet(Program);
        flags.AddString("csi-address", o.CsiAddress, "address of the CSI driver's socket (a path, or unix:///path)", v => o.CsiAddress = v);
        flags.AddString("kubeconfig", o.Kubeconfig, "path to a kubeconfig; empty uses the in-cluster service account", v => o.Kubeconfig = v);
        flags.AddString("master", o.Master, "API server address; overrides the kubeconfig's server", v => o.Master = v);
        flags.AddDuration("timeout", o.Timeout, "timeout of each call to the CSI driver, and of waiting for it to become ready", v => o.Timeout = v);
        flags.AddInt("worker-threads", o.WorkerThreads, "workers for claims, and as many for volumes", v => o.WorkerThreads = (int)Math.Clamp(v, int.MinValue, int.MaxValue));
        flags.AddDuration("retry-interval-start", o.RetryIntervalStart, "first retry delay of a failed claim or volume; doubles on each failure", v => o.RetryIntervalStart = v);
        flags.AddDuration("retry-interval-max", o.RetryIntervalMax, "longest retry delay", v => o.RetryIntervalMax = v);
        flags.AddString("volume-name-prefix", o.VolumeNamePrefix, "prefix of the names of provisioned volumes", v => o.VolumeNamePrefix = v);
        flags.AddInt("volume-name-uuid-length", o.VolumeNameUuidLength, "length of the claim uid in volume names (dashes removed); -1 keeps the whole uid", v => o.VolumeNameUuidLength = (int)Math.Clamp(v, -1000, 1000));
        flags.AddString("kube-api-qps", "5", "queries per second to the Kubernetes API", v => o.KubeApiQps = ParseQps(v));
        flags.AddInt("kube-api-burst", o.KubeApiBurst, "burst of queries to the Kubernetes API", v => o.KubeApiBurst = (int)Math.Clamp(v, int.MinValue, int.MaxValue));
        flags.AddBool("extra-create-metadata", o.ExtraCreateMetadata, "pass csi.storage.k8s.io/pvc/name, pvc/namespace and pv/name to CreateVolume", v => o.ExtraCreateMetadata = v);
        flags.AddBool("immediate-topology", o.ImmediateTopology, "give Immediate-binding volumes the cluster's topology as accessibility requirements", v => o.ImmediateTopology = v);
        flags.AddBool("strict-topology", o.StrictTopology, "with a selected node, require that node's segment only", v => o.StrictTopology = v);
        flags.AddString("default-fstype", o.DefaultFsType, "filesystem type for classes that name none; empty leaves it to the driver", v => o.DefaultFsType = v);
        flags.AddString("feature-gates", string.Empty, "comma-separated Gate=true|false (Topology=true is accepted; it is GA)", v => ParseFeatureGates(o, v));
        flags.AddBool("leader-election", o.LeaderElection, "run only while holding the Lease named after the driver", v => o.LeaderElection = v);
        flags.AddString("leader-election-namespace", o.LeaderElectionNamespace, "namespace of the Lease; empty uses the pod's namespace", v => o.LeaderElectionNamespace = v);
        flags.AddDuration("leader-election-lease-duration", o.LeaderElectionLeaseDuration, "how long a non-leader waits before taking an unrenewed lease", v => o.LeaderElectionLeaseDuration = v);
        flags.AddDuration("leader-election-renew-deadline", o.LeaderElectionRenewDeadline, "how long the leader keeps trying to renew before giving up", v => o.LeaderElectionRenewDeadline = v);
        flags.AddDuration("leader-election-retry-period", o.LeaderElectionRetryPeriod, "how often candidates try to acquire or renew", v => o.LeaderElectionRetryPeriod = v);
        flags.AddBool("node-deployment", o.NodeDeployment, "one provisioner per node (not implemented yet; refused)", v => o.NodeDeployment = v);
        flags.AddBool("enable-capacity", o.EnableCapacity, "publish CSIStorageCapacity objects (not implemented yet; refused)", v => o.EnableCapacity = v);
        flags.AddInt("capacity-ownerref-level", o.CapacityOwnerrefLevel, "owner of CSIStorageCapacity objects: 0 the pod, 1 its ReplicaSet/StatefulSet, 2 the Deployment", v => o.CapacityOwnerrefLevel = (int)Math.Clamp(v, -1, 10));
        flags.AddDuration("capacity-poll-interval", o.CapacityPollInterval, "how often GetCapacity is called", v => o.CapacityPollInterval = v);
        flags.AddString("http-endpoint", o.HttpEndpoint, "[host]:port for /metrics and /healthz/leader-election; empty disables", v => o.HttpEndpoint = v);
        flags.AddString("metrics-address", string.Empty, "deprecated: use --http-endpoint", v =>
        {
            if (v.Length > 0)
            {
                o.HttpEndpoint = v;
            }
        });
        flags.AddString("metrics-path", o.MetricsPath, "path of the metrics on --http-endpoint", v => o.MetricsPath = v);
        flags.AddInt("v", 0, "log verbosity (0 info; 4 and above debug)", v => o.LogVerbosity = (int)Math.Clamp(v, 0, 10));
        flags.AddBool("log-format-json", o.LogFormatJson, "write logs as JSON lines", v => o.LogFormatJson = v);
        flags.AddBool("version", false, "print the version and exit", v => o.ShowVersion = v);
        flags.AddBool("help", false, "print this help and exit", v => o.ShowHelp = v);
        return flags;
    }

    private static double ParseQps(string value)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var qps) && qps > 0 && double.IsFinite(qps)
            ? qps
            : throw new FlagException($"--kube-api-qps: \"{value}\" is not a positive number");

    private static void ParseFeatureGates(ProvisionerOptions o, string value)
    {
        o.FeatureGates.Clear();
        foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', 2);
            if (parts.Length != 2 || !GoBool.TryParse(parts[1], out var enabled))
            {
                throw new FlagException($"--feature-gates: \"{entry}\" is not Gate=true or Gate=false");
            }
            var known = parts[0] is "Topology" or "VolumeAttributesClass" or "CrossNamespaceVolumeDataSource" or "ReleaseLeaderElectionOnExit";
            if (!known)
            {
                throw new FlagException($"--feature-gates: unknown gate \"{parts[0]}\"; known: Topology, VolumeAttributesClass, CrossNamespaceVolumeDataSource, ReleaseLeaderElectionOnExit");
            }
            if (parts[0] == "Topology" && !enabled)
            {
                throw new FlagException("--feature-gates: Topology is GA and cannot be turned off; remove Topology=false");
            }
            if (parts[0] == "CrossNamespaceVolumeDataSource" && enabled)
            {
                throw new FlagException("--feature-gates: CrossNamespaceVolumeDataSource is not supported by this provisioner; remove it");
            }
            o.FeatureGates[parts[0]] = enabled;
        }
    }

    private void Validate()
    {
        if (ShowVersion || ShowHelp)
        {
            return;
        }
        Require(CsiAddress.Length > 0, "--csi-address: must name the driver's socket, e.g. /run/csi/socket");
        try
        {
            _ = SocketPath;
        }
        catch (ArgumentException e)
        {
            throw new FlagException($"--csi-address: {e.Message}", e);
        }
        Require(Timeout > TimeSpan.Zero, "--timeout: must be more than 0, e.g. 10s");
        Require(WorkerThreads > 0, "--worker-threads: must be at least 1");
        Require(RetryIntervalStart > TimeSpan.Zero, "--retry-interval-start: must be more than 0, e.g. 1s");
        Require(RetryIntervalMax >= RetryIntervalStart, "--retry-interval-max: must not be less than --retry-interval-start");
        Require(VolumeNamePrefix.Length > 0 && VolumeNamePrefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.') && !VolumeNamePrefix.EndsWith('-'),
            $"--volume-name-prefix: \"{VolumeNamePrefix}\" must be lower-case letters, digits, '-' or '.', not ending with '-' (PV names are DNS subdomains)");
        Require(VolumeNameUuidLength == -1 || VolumeNameUuidLength > 0, "--volume-name-uuid-length: must be -1 (whole uid) or more than 0");
        Require(KubeApiBurst > 0, "--kube-api-burst: must be at least 1");
        Require(LeaderElectionLeaseDuration > LeaderElectionRenewDeadline, "--leader-election-lease-duration: must be longer than --leader-election-renew-deadline");
        Require(LeaderElectionRenewDeadline > LeaderElectionRetryPeriod, "--leader-election-renew-deadline: must be longer than --leader-election-retry-period");
        Require(LeaderElectionRetryPeriod > TimeSpan.Zero, "--leader-election-retry-period: must be more than 0");
        Require(!NodeDeployment, "--node-deployment: distributed provisioning is not implemented yet; run one provisioner beside the controller");
        Require(!EnableCapacity, "--enable-capacity: CSIStorageCapacity publishing is not implemented yet; remove the flag");
        Require(HttpEndpoint.Length == 0 || Common.ListenAddress.TryParse(HttpEndpoint, out _), $"--http-endpoint: \"{HttpEndpoint}\" is not [host]:port, e.g. :8080 or 127.0.0.1:8080");
        Require(MetricsPath.StartsWith('/'), "--metrics-path: must start with /");
    }

    public string SocketPath => Common.GrpcEndpoint.ParseUnixSocketPath(CsiAddress);

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new FlagException(message);
        }
    }
}
