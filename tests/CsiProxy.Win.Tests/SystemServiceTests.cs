using CsiProxy.Win.Api.SystemV1Alpha1;
using CsiProxy.Win.Hosts;
using Grpc.Core;
using Moq;
using SystemGrpc = CsiProxy.Win.Api.SystemV1Alpha1.System;

namespace CsiProxy.Win.Tests;

public sealed class SystemServiceTests : IAsyncLifetime
{
    private ProxyServer _server = null!;
    private SystemGrpc.SystemClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ProxyServer.StartAsync();
        _client = new SystemGrpc.SystemClient(_server.Channel(ApiGroup.SystemV1Alpha1));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Mock<ISystemHost> Host => _server.System;

    [Fact]
    public async Task GetBIOSSerialNumber_returns_the_hosts()
    {
        Host.Setup(h => h.GetBiosSerialNumber()).Returns("VMware-42 1a");

        Assert.Equal("VMware-42 1a", (await _client.GetBIOSSerialNumberAsync(new GetBIOSSerialNumberRequest())).SerialNumber);
    }

    [Fact]
    public async Task GetService_maps_display_name_start_type_and_status()
    {
        Host.Setup(h => h.GetService("MSiSCSI")).Returns(new HostService("Microsoft iSCSI Initiator Service", "Manual", "Stopped"));

        var response = await _client.GetServiceAsync(new GetServiceRequest { Name = "msiscsi".ToUpperInvariant().Replace("MSISCSI", "MSiSCSI") });

        Assert.Equal(("Microsoft iSCSI Initiator Service", StartType.Manual, ServiceStatus.Stopped), (response.DisplayName, response.StartType, response.Status));
    }

    [Theory]
    [InlineData("csiproxy")]
    [InlineData("WinRM")]
    [InlineData("kubelet")]
    [InlineData("")]
    [InlineData(@"..\MSiSCSI")]
    public async Task Services_off_the_allow_list_are_refused_with_InvalidArgument_naming_the_field(string name)
    {
        var calls = new Func<Task>[]
        {
            () => _client.GetServiceAsync(new GetServiceRequest { Name = name }).ResponseAsync,
            () => _client.StartServiceAsync(new StartServiceRequest { Name = name }).ResponseAsync,
            () => _client.StopServiceAsync(new StopServiceRequest { Name = name, Force = true }).ResponseAsync,
        };

        foreach (var call in calls)
        {
            var e = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.StartsWith("name:", e.Status.Detail);
        }
        Host.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task StartService_starts_a_stopped_service_and_leaves_a_running_one()
    {
        Host.SetupSequence(h => h.GetService("MSiSCSI"))
            .Returns(new HostService("iSCSI", "Manual", "Stopped"))
            .Returns(new HostService("iSCSI", "Manual", "Running"));
        Host.Setup(h => h.StartService("MSiSCSI", It.IsAny<CancellationToken>()));

        await _client.StartServiceAsync(new StartServiceRequest { Name = "MSiSCSI" });
        await _client.StartServiceAsync(new StartServiceRequest { Name = "MSiSCSI" });

        Host.Verify(h => h.StartService("MSiSCSI", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task StopService_passes_force_and_leaves_a_stopped_service()
    {
        Host.SetupSequence(h => h.GetService("MSiSCSI"))
            .Returns(new HostService("iSCSI", "Auto", "Running"))
            .Returns(new HostService("iSCSI", "Auto", "Stopped"));
        Host.Setup(h => h.StopService("MSiSCSI", true, It.IsAny<CancellationToken>()));

        await _client.StopServiceAsync(new StopServiceRequest { Name = "MSiSCSI", Force = true });
        await _client.StopServiceAsync(new StopServiceRequest { Name = "MSiSCSI", Force = true });

        Host.Verify(h => h.StopService("MSiSCSI", true, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task An_allowed_service_the_host_lacks_is_NotFound()
    {
        Host.Setup(h => h.GetService("MSiSCSI")).Returns((HostService?)null);

        var e = await Assert.ThrowsAsync<RpcException>(() => _client.GetServiceAsync(new GetServiceRequest { Name = "MSiSCSI" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }

    [Fact]
    public async Task The_allow_list_comes_from_the_flags()
    {
        await using var server = await ProxyServer.StartAsync(o => o.AllowedServices.Add("W32Time"));
        var client = new SystemGrpc.SystemClient(server.Channel(ApiGroup.SystemV1Alpha1));
        server.System.Setup(h => h.GetService("W32Time")).Returns(new HostService("Windows Time", "Auto", "Running"));

        Assert.Equal(ServiceStatus.Running, (await client.GetServiceAsync(new GetServiceRequest { Name = "W32Time" })).Status);
        var e = await Assert.ThrowsAsync<RpcException>(() => client.GetServiceAsync(new GetServiceRequest { Name = "MSiSCSI" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }
}
