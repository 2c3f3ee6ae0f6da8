using CsiProxy.Win.Paths;

namespace CsiProxy.Win.Client;

/// <summary>How a plugin reaches the groups; the path settings matter only in process (a proxy brings its own).</summary>
public sealed class CsiProxyClientOptions
{
    public CsiProxyMode Mode { get; set; } = CsiProxyMode.Auto;

    public string KubeletPath { get; set; } = @"C:\var\lib\kubelet";

    public IList<string> WorkingDirs { get; } = [];

    public bool RequirePrivacy { get; set; } = true;

    public IList<string> AllowedServices { get; } = [.. ServiceAllowList.Defaults];
}

public enum CsiProxyMode
{
    /// <summary>The proxy's pipes when any of them exists, else in process.</summary>
    Auto,
    Pipes,
    InProcess,
}
