using System.Globalization;
using Csi.Client;
using Csi.V1;

namespace Csi.Testing;

/// <summary>
/// The directories a standalone driver needs, in one temp directory: its socket, the providers' sockets, the
/// SecretProviderClass manifests and the volume targets. Disposing unmounts and deletes all of it.
/// </summary>
public sealed class StandaloneDriverLayout : IDisposable
{
    public const string PodNamespace = "default";

    private readonly TempDirectory _root = new("csi-driver-");
    private int _targets;

    public StandaloneDriverLayout()
    {
        ProvidersDirectory = _root.CreateDirectory("providers");
        SpcDirectory = _root.CreateDirectory("spc");
        TargetsDirectory = _root.CreateDirectory("pods");
        WorkingDirectory = _root.CreateDirectory("cwd");
        SocketPath = _root.Combine("csi.sock");
        MetricsPort = LoopbackPort.GetFree();
    }

    public string Root => _root.Path;

    public string ProvidersDirectory { get; }

    public string SpcDirectory { get; }

    public string TargetsDirectory { get; }

    public string SocketPath { get; }

    /// <summary>
    /// An empty directory to run the driver in. The ASP.NET Core host watches its content root (the working
    /// directory) recursively for appsettings changes, so a big working directory slows the driver's start.
    /// </summary>
    public string WorkingDirectory { get; }

    public string Endpoint => "unix://" + SocketPath;

    public int MetricsPort { get; }

    public Uri MetricsUri => new($"http://127.0.0.1:{MetricsPort.ToString(CultureInfo.InvariantCulture)}/metrics");

    /// <summary>The driver's command line for this layout.</summary>
    public IReadOnlyList<string> Arguments(bool enableRotation = false, string rotationPollInterval = "1h")
    {
        var arguments = new List<string>
        {
            "--endpoint", Endpoint,
            "--provider-volume", ProvidersDirectory,
            "--additional-provider-volume-paths=",
            "--spc-dir", SpcDirectory,
            "--metrics-addr=127.0.0.1:" + MetricsPort.ToString(CultureInfo.InvariantCulture),
            "--nodeid", "bench-node",
            "--state-dir", Path.Combine(Root, "state"),
        };
        if (enableRotation)
        {
            arguments.Add("--enable-secret-rotation");
            arguments.Add("--rotation-poll-interval=" + rotationPollInterval);
        }
        return arguments;
    }

    public void WriteManifest(string className, string yaml) => File.WriteAllText(Path.Combine(SpcDirectory, className + ".yaml"), yaml);

    /// <summary>A target path that does not exist yet, in a pod directory that does, as kubelet hands the driver.</summary>
    public string NewTarget()
    {
        var n = Interlocked.Increment(ref _targets).ToString(CultureInfo.InvariantCulture);
        var pod = Directory.CreateDirectory(Path.Combine(TargetsDirectory, "pod-" + n));
        return Path.Combine(pod.FullName, "mount");
    }

    /// <summary>The NodePublishVolume kubelet sends for an inline volume of <paramref name="className"/>.</summary>
    public static NodePublishVolumeRequest PublishRequest(string className, string target)
    {
        var volumeId = "csi-" + Path.GetFileName(Path.GetDirectoryName(target));
        return CsiClient.BuildPublishRequest(new PublishOptions
        {
            VolumeId = volumeId,
            TargetPath = target,
            Readonly = true,
            Attributes = new Dictionary<string, string> { ["secretProviderClass"] = className },
            PodName = "pod-" + volumeId,
            PodNamespace = PodNamespace,
            PodUid = volumeId,
        });
    }

    public static NodeUnpublishVolumeRequest UnpublishRequest(NodePublishVolumeRequest publish)
    {
        ArgumentNullException.ThrowIfNull(publish);
        return new NodeUnpublishVolumeRequest { VolumeId = publish.VolumeId, TargetPath = publish.TargetPath };
    }

    public void Dispose() => _root.Dispose();
}
