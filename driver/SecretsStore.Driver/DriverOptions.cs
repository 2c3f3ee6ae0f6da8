using System.Net;
using Csi.Common.Flags;

namespace SecretsStore.Driver;

/// <summary>The driver's command line, named and defaulted as the upstream driver's flags.</summary>
public sealed class DriverOptions
{
    public const string DefaultDriverName = "secrets-store.csi.k8s.io";

    public string Endpoint { get; set; } = "unix:///tmp/csi.sock";

    public string DriverName { get; set; } = DefaultDriverName;

    public string NodeId { get; set; } = string.Empty;

    public string ProviderVolume { get; set; } = "/var/run/secrets-store-csi-providers";

    public IReadOnlyList<string> AdditionalProviderVolumePaths { get; set; } = ["/etc/kubernetes/secrets-store-csi-providers"];

    public int MaxCallRecvMsgSize { get; set; } = 4 * 1024 * 1024;

    public string MetricsAddr { get; set; } = ":8095";

    public bool EnableSecretRotation { get; set; }

    public TimeSpan RotationPollInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Who owns synced Secrets: each mounting pod (upstream) or the pods' controller.</summary>
    public SecretSync.SecretOwner SecretOwner { get; set; } = SecretSync.SecretOwner.Pod;

    /// <summary>Whether the driver's own rotation reconciler runs when rotation is on; off leaves rotation to kubelet's republish (upstream v1.6).</summary>
    public bool RotationReconciler { get; set; } = true;

    /// <summary>Most volumes the rotation reconciler rotates at once (a provider call each).</summary>
    public int RotationMaxConcurrency { get; set; } = 10;

    public TimeSpan ProviderTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where the driver keeps what it knows of each published volume, to know it again after a restart; empty keeps nothing.</summary>
    public string StateDirectory { get; set; } = DefaultStateDirectory;

    public const string DefaultStateDirectory = "/var/run/secrets-store-csi-driver/volumes";

    public bool ProviderHealthCheck { get; set; }

    public TimeSpan ProviderHealthCheckInterval { get; set; } = TimeSpan.FromMinutes(2);

    public UnixFileMode TmpfsMode { get; set; } = (UnixFileMode)Convert.ToInt32("755", 8);

    public string? SecretProviderClassDirectory { get; set; }

    /// <summary>A kubeconfig for out-of-cluster use; null means the in-cluster service account.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>client-go's rate limit, at controller-runtime's defaults (which upstream's driver gets): 20 qps, burst 30.</summary>
    public double KubeApiQps { get; set; } = 20;

    public int KubeApiBurst { get; set; } = 30;

    /// <summary>Standalone mode (manifests from a directory, statuses in memory) instead of the Kubernetes API.</summary>
    public bool Standalone => SecretProviderClassDirectory is not null;

    public bool LogFormatJson { get; set; }

    public int LogVerbosity { get; set; }

    public bool ShowVersion { get; set; }

    public bool ShowHelp { get; set; }

    /// <summary>The directories searched for provider sockets, in the order upstream searches them.</summary>
    public IReadOnlyList<string> ProviderDirectories => [.. AdditionalProviderVolumePaths, ProviderVolume];

    public string SocketPath => global::Csi.Common.GrpcEndpoint.ParseUnixSocketPath(Endpoint);

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
        var flags = new FlagSet("secrets-store-csi-driver");
        flags.AddString("endpoint", o.Endpoint, "CSI endpoint: a unix socket (unix:///path or unix:/path)", v => o.Endpoint = v);
        flags.AddString("drivername", o.DriverName, "name of the driver, as registered with kubelet", v => o.DriverName = v);
        flags.AddString("nodeid", o.NodeId, "node id reported by NodeGetInfo; defaults to this host's name", v => o.NodeId = v);
        flags.AddString("provider-volume", o.ProviderVolume, "directory that holds the providers' <name>.sock sockets", v => o.ProviderVolume = v);
        flags.AddString("additional-provider-volume-paths", string.Join(',', o.AdditionalProviderVolumePaths), "comma-separated directories searched for provider sockets before --provider-volume",
            v => o.AdditionalProviderVolumePaths = v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        flags.AddInt("max-call-recv-msg-size", o.MaxCallRecvMsgSize, "largest provider response accepted, in bytes", v => o.MaxCallRecvMsgSize = checked((int)Math.Clamp(v, int.MinValue, int.MaxValue)));
        flags.AddString("metrics-addr", o.MetricsAddr, "address for /metrics and /healthz ([host]:port); empty disables", v => o.MetricsAddr = v);
        flags.AddString("metrics-backend", "Prometheus", "metrics backend; only Prometheus is supported", v =>
        {
            if (!string.Equals(v, "prometheus", StringComparison.OrdinalIgnoreCase))
            {
                throw new FlagException($"--metrics-backend: \"{v}\" is not supported: use Prometheus");
            }
        });
        flags.AddBool("enable-secret-rotation", o.EnableSecretRotation, "re-fetch secrets once --rotation-poll-interval has passed: on kubelet's republish and by the driver's own rotation reconciler", v => o.EnableSecretRotation = v);
        flags.AddDuration("rotation-poll-interval", o.RotationPollInterval, "least time between two fetches of the same volume; the reconciler's pass runs this often and spreads its fetches over half of it", v => o.RotationPollInterval = v);
        flags.AddBool("rotation-reconciler", o.RotationReconciler, "with --enable-secret-rotation, also rotate mounted volumes on the driver's own schedule; false leaves rotation to kubelet's republish (requiresRepublish)", v => o.RotationReconciler = v);
        flags.AddInt("rotation-max-concurrency", o.RotationMaxConcurrency, "most volumes the rotation reconciler rotates at once", v => o.RotationMaxConcurrency = (int)Math.Clamp(v, int.MinValue, int.MaxValue));
        flags.AddString("secret-owner", "pod", "owner of synced Secrets: pod (each pod that mounts it, as upstream) or controller (the pod's ReplicaSet, StatefulSet or DaemonSet, so a rollout keeps the Secret)", v => o.SecretOwner = v switch
        {
            "pod" => SecretSync.SecretOwner.Pod,
            "controller" => SecretSync.SecretOwner.Controller,
            _ => throw new FlagException($"--secret-owner: \"{v}\" is not pod or controller"),
        });
        flags.AddDuration("provider-timeout", o.ProviderTimeout, "deadline of one provider Mount call, kept well inside kubelet's 2m", v => o.ProviderTimeout = v);
        flags.AddString("state-dir", o.StateDirectory, "directory (on the node, not in the pod) for each volume's metadata, so that a restarted driver knows the volumes it published; empty keeps none", v => o.StateDirectory = v);
        flags.AddBool("provider-health-check", o.ProviderHealthCheck, "call every provider's Version periodically and log the result", v => o.ProviderHealthCheck = v);
        flags.AddDuration("provider-health-check-interval", o.ProviderHealthCheckInterval, "interval of the provider health check", v => o.ProviderHealthCheckInterval = v);
        flags.AddString("tmpfs-mode", "0755", "octal mode of the tmpfs root of each volume", v =>
        {
            int mode;
            try
            {
                mode = Convert.ToInt32(v, 8);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                throw new FlagException($"--tmpfs-mode: \"{v}\" is not an octal mode: use e.g. 0755 or 0750", e);
            }
            if (mode is < 0 or > 511 || (mode & 0x1C0) != 0x1C0)
            {
                throw new FlagException($"--tmpfs-mode: {v} must be within 0700-0777 (the driver needs rwx for itself)");
            }
            o.TmpfsMode = (UnixFileMode)mode;
        });
        flags.AddString("spc-dir", string.Empty, "standalone mode: read SecretProviderClass manifests from this directory instead of the Kubernetes API", v => o.SecretProviderClassDirectory = v.Length == 0 ? null : v);
        flags.AddString("kubeconfig", string.Empty, "kubeconfig for reaching the API server from outside the cluster; empty uses the in-cluster service account", v => o.Kubeconfig = v.Length == 0 ? null : v);
        flags.AddString("kube-api-qps", "20", "most requests per second to the Kubernetes API, sustained", v =>
        {
            if (!double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var qps) || !double.IsFinite(qps) || qps <= 0)
            {
                throw new FlagException($"--kube-api-qps: \"{v}\" is not a positive number, e.g. 20 or 2.5");
            }
            o.KubeApiQps = qps;
        });
        flags.AddInt("kube-api-burst", o.KubeApiBurst, "most requests to the Kubernetes API in a burst above --kube-api-qps", v => o.KubeApiBurst = (int)Math.Clamp(v, int.MinValue, int.MaxValue));
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
        if (string.IsNullOrWhiteSpace(DriverName))
        {
            throw new FlagException("--drivername: must not be empty");
        }
        if (string.IsNullOrEmpty(NodeId))
        {
            NodeId = Dns.GetHostName();
        }
        if (string.IsNullOrWhiteSpace(ProviderVolume))
        {
            throw new FlagException("--provider-volume: must name the directory that holds provider sockets");
        }
        if (MaxCallRecvMsgSize <= 0)
        {
            throw new FlagException("--max-call-recv-msg-size: must be a positive number of bytes");
        }
        if (RotationPollInterval <= TimeSpan.Zero)
        {
            throw new FlagException("--rotation-poll-interval: must be positive, e.g. 2m");
        }
        if (RotationMaxConcurrency is < 1 or > 1000)
        {
            throw new FlagException("--rotation-max-concurrency: must be between 1 and 1000, e.g. 10");
        }
        if (ProviderTimeout <= TimeSpan.Zero || ProviderTimeout > TimeSpan.FromMinutes(2))
        {
            throw new FlagException("--provider-timeout: must be above 0 and at most 2m (kubelet gives up on NodePublishVolume after 2m)");
        }
        if (ProviderHealthCheckInterval <= TimeSpan.Zero)
        {
            throw new FlagException("--provider-health-check-interval: must be positive, e.g. 2m");
        }
        if (MetricsAddr.Length > 0 && !global::Csi.Common.ListenAddress.TryParse(MetricsAddr, out _))
        {
            throw new FlagException($"--metrics-addr: \"{MetricsAddr}\" is not [host]:port, e.g. :8095 or 127.0.0.1:8095");
        }
        if (KubeApiBurst < 1)
        {
            throw new FlagException("--kube-api-burst: must be at least 1");
        }
        if (SecretProviderClassDirectory is not null)
        {
            if (Kubeconfig is not null)
            {
                throw new FlagException("--spc-dir and --kubeconfig: choose one; --spc-dir runs without the Kubernetes API");
            }
            if (!Directory.Exists(SecretProviderClassDirectory))
            {
                throw new FlagException($"--spc-dir: directory {SecretProviderClassDirectory} does not exist");
            }
            return;
        }
        if (Kubeconfig is null)
        {
            if (!global::Csi.Kubernetes.KubernetesConnection.IsInCluster())
            {
                throw new FlagException("--kubeconfig or --spc-dir: not running in a cluster (no KUBERNETES_SERVICE_HOST or service account token); pass --kubeconfig=<file> to use the Kubernetes API from outside, or --spc-dir=<dir> for standalone mode");
            }
        }
        else if (!File.Exists(Kubeconfig))
        {
            throw new FlagException($"--kubeconfig: file {Kubeconfig} does not exist");
        }
    }
}
