using Csi.Common.Hosting;
using Csi.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Csi.Common.Tests;

public sealed class BoundGrpcServiceTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bound-grpc-").FullName;
    private readonly CountingIdentity _identity = new();
    private int _identitiesMade;
    private WebApplication? _app;

    private string Socket => Path.Combine(_directory, "csi.sock");

    public async Task InitializeAsync()
    {
        var builder = SlimHost.CreateBuilder();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(Socket, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddBoundGrpcService(_ =>
        {
            Interlocked.Increment(ref _identitiesMade);
            return _identity;
        }, Identity.BindService);
        builder.Services.AddBoundGrpcService(_ => new EmptyController(), Controller.BindService);
        _app = builder.Build();
        _app.MapBoundGrpcServices();
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Every_call_of_every_bound_service_is_served_by_its_one_instance()
    {
        using var channel = GrpcEndpoint.CreateChannel("unix://" + Socket);
        var identity = new Identity.IdentityClient(channel);

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await identity.ProbeAsync(new ProbeRequest())).Ready);
        }
        var info = await identity.GetPluginInfoAsync(new GetPluginInfoRequest());

        Assert.Equal("bound.csi.example", info.Name);
        Assert.Equal(4, _identity.Calls);
        Assert.Equal(1, _identitiesMade);
    }

    [Fact]
    public async Task A_method_the_service_does_not_override_answers_unimplemented_as_the_generated_base_does()
    {
        using var channel = GrpcEndpoint.CreateChannel("unix://" + Socket);
        var controller = new Controller.ControllerClient(channel);
        var node = new Node.NodeClient(channel);

        var bound = await Assert.ThrowsAsync<RpcException>(async () => await controller.CreateVolumeAsync(new CreateVolumeRequest { Name = "v" }));
        var unbound = await Assert.ThrowsAsync<RpcException>(async () => await node.NodeGetInfoAsync(new NodeGetInfoRequest()));

        Assert.Equal(StatusCode.Unimplemented, bound.StatusCode);
        Assert.Equal(StatusCode.Unimplemented, unbound.StatusCode);
    }

    private sealed class EmptyController : Controller.ControllerBase
    {
    }

    private sealed class CountingIdentity : Identity.IdentityBase
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public override Task<ProbeResponse> Probe(ProbeRequest request, ServerCallContext context)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new ProbeResponse { Ready = true });
        }

        public override Task<GetPluginInfoResponse> GetPluginInfo(GetPluginInfoRequest request, ServerCallContext context)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new GetPluginInfoResponse { Name = "bound.csi.example", VendorVersion = "1" });
        }
    }
}
