using System.Net;
using CsiProxy.Win.Paths;

namespace CsiProxy.Win.Server;

/// <summary>What the proxy runs with, bound from the command line by <see cref="ProxyFlags"/> and validated there.</summary>
public sealed class ProxyOptions
{
    public const string DefaultKubeletPath = @"C:\var\lib\kubelet";

    public string KubeletPath { get; set; } = DefaultKubeletPath;

    /// <summary>More directories callers may name besides the kubelet path.</summary>
    public List<string> WorkingDirs { get; } = [];

    public bool WindowsService { get; set; }

    public bool RequirePrivacy { get; set; } = true;

    /// <summary>Where /metrics listens; null when metrics are off.</summary>
    public IPEndPoint? MetricsEndPoint { get; set; }

    /// <summary>klog's verbosity: 0 logs changes and failures, 2 and up every call, 4 and up debug detail.</summary>
    public long Verbosity { get; set; }

    public List<string> AllowedServices { get; } = [];

    /// <summary>klog's -log_file: where log lines go when <see cref="LogToStderr"/> is off (a service has no console).</summary>
    public string LogFile { get; set; } = "";

    /// <summary>klog's -logtostderr (default true).</summary>
    public bool LogToStderr { get; set; } = true;

    public bool ShowHelp { get; set; }

    public bool ShowVersion { get; set; }

    /// <summary>The path rules of the filesystem, volume and smb groups: the kubelet path always, then every working dir.</summary>
    public PathRules PathRules() => new([KubeletPath, .. WorkingDirs]);

    public ServiceAllowList ServiceAllowList() => new(AllowedServices.Count == 0 ? Paths.ServiceAllowList.Defaults : AllowedServices);
}
