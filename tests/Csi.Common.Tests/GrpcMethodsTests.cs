using Csi.Common.Hosting;
using Csi.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Csi.Common.Tests;

public sealed class GrpcMethodsTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("grpc-methods-").FullName;
    private readonly CountingIdentity _identity = new();
    private int _identitiesMade;
    private WebApplication? _app;

    private string Socket => Path.Combine(_directory, "csi.sock");

    public async Task InitializeAsync()
    {
        var builder = SlimHost.CreateBuilder();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(Socket, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddGrpcMethods((_, methods) =>
        {
            Interlocked.Increment(ref _identitiesMade);
            methods
                .Unary<ProbeRequest, ProbeResponse>(CsiServiceNames.Identity, nameof(_identity.Probe), _identity.Probe)
                .Unary<GetPluginInfoRequest, GetPluginInfoResponse>(CsiServiceNames.Identity, nameof(_identity.GetPluginInfo), _identity.GetPluginInfo);
        });
        _app = builder.Build();
        _app.MapGrpcMethods();
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
    public async Task A_method_left_out_of_the_table_answers_unimplemented_as_the_generated_base_class_does()
    {
        using var channel = GrpcEndpoint.CreateChannel("unix://" + Socket);
        var identity = new Identity.IdentityClient(channel);
        var node = new Node.NodeClient(channel);

        var sameService = await Assert.ThrowsAsync<RpcException>(async () => await identity.GetPluginCapabilitiesAsync(new GetPluginCapabilitiesRequest()));
        var otherService = await Assert.ThrowsAsync<RpcException>(async () => await node.NodeGetInfoAsync(new NodeGetInfoRequest()));

        Assert.Equal(StatusCode.Unimplemented, sameService.StatusCode);
        Assert.Equal(StatusCode.Unimplemented, otherService.StatusCode);
    }

    [Fact]
    public void A_table_that_matches_the_contract_has_no_mismatches()
    {
        Assert.Empty(GrpcMethods.ContractMismatches(_app!, Identity.Descriptor));
    }

    [Fact]
    public async Task A_table_that_names_a_method_the_contract_lacks_or_with_other_message_types_is_told_apart_from_the_contract()
    {
        var mismatches = await MismatchesOfAsync(m => m
            .Unary<ProbeRequest, ProbeResponse>(CsiServiceNames.Identity, "Prob", _identity.Probe)
            .Unary<ProbeRequest, ProbeResponse>(CsiServiceNames.Identity, "GetPluginInfo", _identity.Probe)
            .Unary<ProbeRequest, ProbeResponse>("csi.v1.Identiti", "Probe", _identity.Probe)
            .Unary<ProbeRequest, ProbeResponse>(CsiServiceNames.Identity, "Probe", _identity.Probe));

        Assert.Equal(
            [
                "csi.v1.Identity/Prob is not in the contract",
                "csi.v1.Identity/GetPluginInfo is not unary ProbeRequest -> ProbeResponse in the contract",
                "csi.v1.Identiti/Probe is not in the contract",
            ],
            mismatches);
    }

    [Fact]
    public async Task The_binaries_name_each_csi_service_as_the_contract_does()
    {
        Assert.Equal(
            [Identity.Descriptor.FullName, Controller.Descriptor.FullName, Node.Descriptor.FullName],
            [CsiServiceNames.Identity, CsiServiceNames.Controller, CsiServiceNames.Node]);
        Assert.Empty(await MismatchesOfAsync(m => m.Identity(_identity)));
    }

    private static async Task<IReadOnlyList<string>> MismatchesOfAsync(Action<GrpcMethodTable> describe)
    {
        var builder = SlimHost.CreateBuilder();
        builder.Services.AddGrpc();
        builder.Services.AddGrpcMethods((_, methods) => describe(methods));
        await using var app = builder.Build();
        app.MapGrpcMethods();
        return GrpcMethods.ContractMismatches(app, Identity.Descriptor);
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
