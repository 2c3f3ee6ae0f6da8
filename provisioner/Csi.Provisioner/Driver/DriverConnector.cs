using Csi.V1;
using Grpc.Core;

namespace Csi.Provisioner.Driver;

/// <summary>
/// Start-up against the driver, as upstream does it: Probe until ready (bounded here by --timeout), then
/// GetPluginInfo (the provisioner's name), plugin and controller capabilities.
/// </summary>
public static class DriverConnector
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(500);

    public static async Task<DriverInfo> ConnectAsync(Identity.IdentityClient identity, Controller.ControllerClient controller, string address, TimeSpan timeout, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(time);
        var giveUpAt = time.GetUtcNow() + timeout;
        string lastProblem = "no answer yet";
        while (true)
        {
            try
            {
                var probe = await identity.ProbeAsync(new ProbeRequest(), deadline: Deadline(time, timeout), cancellationToken: cancellationToken).ConfigureAwait(false);
                if (probe.Ready is null || probe.Ready.Value)
                {
                    break;
                }
                lastProblem = "Probe answered ready=false";
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.FailedPrecondition or StatusCode.Unknown)
            {
                lastProblem = $"Probe failed: {e.StatusCode}: {e.Status.Detail}";
            }
            if (time.GetUtcNow() + ProbeInterval > giveUpAt)
            {
                throw new DriverStartupException($"the CSI driver at {address} is not ready after {timeout.TotalSeconds:0.#}s ({lastProblem}); check that the driver runs and shares the socket, or raise --timeout");
            }
            ProvisionerLog.WaitingForDriver(logger, address, lastProblem);
            await Task.Delay(ProbeInterval, time, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var info = await identity.GetPluginInfoAsync(new GetPluginInfoRequest(), deadline: Deadline(time, timeout), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(info.Name))
            {
                throw new DriverStartupException($"the CSI driver at {address} answered GetPluginInfo without a name");
            }
            var plugin = await identity.GetPluginCapabilitiesAsync(new GetPluginCapabilitiesRequest(), deadline: Deadline(time, timeout), cancellationToken: cancellationToken).ConfigureAwait(false);
            var services = plugin.Capabilities.Where(c => c.Service is not null).Select(c => c.Service.Type).ToHashSet();
            if (!services.Contains(PluginCapability.Types.Service.Types.Type.ControllerService))
            {
                throw new DriverStartupException($"CSI driver {info.Name} at {address} does not offer the CONTROLLER_SERVICE capability; point --csi-address at its controller plugin");
            }
            var controllerCaps = await controller.ControllerGetCapabilitiesAsync(new ControllerGetCapabilitiesRequest(), deadline: Deadline(time, timeout), cancellationToken: cancellationToken).ConfigureAwait(false);
            var rpcs = controllerCaps.Capabilities.Where(c => c.Rpc is not null).Select(c => c.Rpc.Type).ToHashSet();
            if (!rpcs.Contains(ControllerServiceCapability.Types.RPC.Types.Type.CreateDeleteVolume))
            {
                throw new DriverStartupException($"CSI driver {info.Name} at {address} does not offer CREATE_DELETE_VOLUME; it cannot provision volumes dynamically");
            }
            return new DriverInfo(info.Name, info.VendorVersion, services.Contains(PluginCapability.Types.Service.Types.Type.VolumeAccessibilityConstraints), rpcs);
        }
        catch (RpcException e)
        {
            throw new DriverStartupException($"the CSI driver at {address} failed a start-up call: {e.StatusCode}: {e.Status.Detail}", e);
        }
    }

    private static DateTime Deadline(TimeProvider time, TimeSpan timeout) => time.GetUtcNow().UtcDateTime + timeout;
}
