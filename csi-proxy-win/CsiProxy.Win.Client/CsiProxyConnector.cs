using CsiProxy.Win.Windows;

namespace CsiProxy.Win.Client;

/// <summary>Chooses how a plugin reaches the groups: the running proxy's pipes, or the host layer in process.</summary>
public static class CsiProxyConnector
{
    public static ICsiProxy Connect(CsiProxyClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pipes = options.Mode == CsiProxyMode.Pipes
            || (options.Mode == CsiProxyMode.Auto && ApiGroup.Served.Any(PipeChannels.Exists));
        if (pipes)
        {
            return new PipeCsiProxy(group => PipeChannels.For(group));
        }
        if (!OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the csi-proxy host layer runs on Windows only");
        }
        var host = new WindowsHost();
        return new InProcessCsiProxy(options, host.Disks, host.Volumes, host.Files, host.Smb, host.System, host);
    }
}
