using Csi.Provisioner.Driver;
using Csi.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Rpc = Csi.V1.ControllerServiceCapability.Types.RPC.Types.Type;
using Service = Csi.V1.PluginCapability.Types.Service.Types.Type;

namespace Csi.Provisioner.Tests.Unit;

public class DriverConnectorTests
{
    private static AsyncUnaryCall<T> Answer<T>(T response) => new(Task.FromResult(response), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });

    private static AsyncUnaryCall<T> Fail<T>(StatusCode code) => new(Task.FromException<T>(new RpcException(new Status(code, "down"))), Task.FromResult(new Metadata()), () => new Status(code, "down"), () => [], () => { });

    private static (Mock<Identity.IdentityClient> Identity, Mock<Controller.ControllerClient> Controller) Driver(Service[] services, Rpc[] rpcs, params ProbeResponse[] probes)
    {
        var identity = new Mock<Identity.IdentityClient>();
        var sequence = identity.SetupSequence(i => i.ProbeAsync(It.IsAny<ProbeRequest>(), It.IsAny<Metadata>(), It.IsAny<DateTime?>(), It.IsAny<CancellationToken>()));
        foreach (var probe in probes)
        {
            sequence = sequence.Returns(Answer(probe));
        }
        identity.Setup(i => i.GetPluginInfoAsync(It.IsAny<GetPluginInfoRequest>(), It.IsAny<Metadata>(), It.IsAny<DateTime?>(), It.IsAny<CancellationToken>()))
            .Returns(Answer(new GetPluginInfoResponse { Name = "example.csi.dev", VendorVersion = "1.0" }));
        var plugin = new GetPluginCapabilitiesResponse();
        plugin.Capabilities.Add(services.Select(s => new PluginCapability { Service = new PluginCapability.Types.Service { Type = s } }));
        identity.Setup(i => i.GetPluginCapabilitiesAsync(It.IsAny<GetPluginCapabilitiesRequest>(), It.IsAny<Metadata>(), It.IsAny<DateTime?>(), It.IsAny<CancellationToken>())).Returns(Answer(plugin));
        var controller = new Mock<Controller.ControllerClient>();
        var caps = new ControllerGetCapabilitiesResponse();
        caps.Capabilities.Add(rpcs.Select(r => new ControllerServiceCapability { Rpc = new ControllerServiceCapability.Types.RPC { Type = r } }));
        controller.Setup(c => c.ControllerGetCapabilitiesAsync(It.IsAny<ControllerGetCapabilitiesRequest>(), It.IsAny<Metadata>(), It.IsAny<DateTime?>(), It.IsAny<CancellationToken>())).Returns(Answer(caps));
        return (identity, controller);
    }

    private static Task<DriverInfo> Connect((Mock<Identity.IdentityClient> Identity, Mock<Controller.ControllerClient> Controller) driver, TimeSpan? timeout = null)
        => DriverConnector.ConnectAsync(driver.Identity.Object, driver.Controller.Object, "/csi/csi.sock", timeout ?? TimeSpan.FromSeconds(10), NullLogger.Instance, TimeProvider.System, CancellationToken.None);

    [Fact]
    public async Task Connect_ReadsNameAndCapabilities_AfterProbeTurnsReady()
    {
        var driver = Driver([Service.ControllerService, Service.VolumeAccessibilityConstraints], [Rpc.CreateDeleteVolume, Rpc.CloneVolume], new ProbeResponse { Ready = false }, new ProbeResponse { Ready = true });
        var info = await Connect(driver);
        Assert.Equal("example.csi.dev", info.Name);
        Assert.True(info.Topology);
        Assert.True(info.Has(Rpc.CloneVolume));
        driver.Identity.Verify(i => i.ProbeAsync(It.IsAny<ProbeRequest>(), It.IsAny<Metadata>(), It.IsAny<DateTime?>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task Connect_WithoutCreateDeleteVolume_StopsWithALineSayingSo()
    {
        var error = await Assert.ThrowsAsync<DriverStartupException>(() => Connect(Driver([Service.ControllerService], [Rpc.ListVolumes], new ProbeResponse())));
        Assert.Contains("CREATE_DELETE_VOLUME", error.Message, StringComparison.Ordinal);
        Assert.Contains("example.csi.dev", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_WithoutControllerService_PointsAtTheControllerPlugin()
    {
        var error = await Assert.ThrowsAsync<DriverStartupException>(() => Connect(Driver([], [Rpc.CreateDeleteVolume], new ProbeResponse())));
        Assert.Contains("CONTROLLER_SERVICE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_DriverNeverAnswers_GivesUpAfterTheTimeout()
    {
        var driver = Driver([Service.ControllerService], [Rpc.CreateDeleteVolume]);
        driver.Identity.Setup(i => i.ProbeAsync(It.IsAny<ProbeRequest>(), It.IsAny<Metadata>(), It.IsAny<DateTime?>(), It.IsAny<CancellationToken>())).Returns(() => Fail<ProbeResponse>(StatusCode.Unavailable));
        var error = await Assert.ThrowsAsync<DriverStartupException>(() => Connect(driver, TimeSpan.FromSeconds(1)));
        Assert.Contains("not ready after 1s", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unavailable", error.Message, StringComparison.Ordinal);
    }
}
