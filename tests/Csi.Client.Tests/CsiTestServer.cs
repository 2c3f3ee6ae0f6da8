using System.Collections.Concurrent;
using Csi.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Csi.Client.Tests;

/// <summary>A tiny CSI plugin (Identity + Node) on Kestrel, listening on a unix socket in a temp directory.</summary>
public sealed class CsiTestServer : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "csictl-" + Guid.NewGuid().ToString("N")[..8]);
    private WebApplication? _app;

    public string SocketPath => Path.Combine(_directory, "csi.sock");

    public string Endpoint => "unix://" + SocketPath;

    public ConcurrentQueue<NodePublishVolumeRequest> Published { get; } = new();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(SocketPath, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(this);
        _app = builder.Build();
        _app.MapGrpcService<FakeIdentity>();
        _app.MapGrpcService<FakeNode>();
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private sealed class FakeIdentity : Identity.IdentityBase
    {
        public override Task<GetPluginInfoResponse> GetPluginInfo(GetPluginInfoRequest request, ServerCallContext context) =>
            Task.FromResult(new GetPluginInfoResponse { Name = "test.csi.example.com", VendorVersion = "v9.9.9" });

        public override Task<GetPluginCapabilitiesResponse> GetPluginCapabilities(GetPluginCapabilitiesRequest request, ServerCallContext context) =>
            Task.FromResult(new GetPluginCapabilitiesResponse
            {
                Capabilities =
                {
                    new PluginCapability { Service = new() { Type = PluginCapability.Types.Service.Types.Type.VolumeAccessibilityConstraints } },
                },
            });

        public override Task<ProbeResponse> Probe(ProbeRequest request, ServerCallContext context) =>
            Task.FromResult(new ProbeResponse { Ready = true });
    }

    private sealed class FakeNode(CsiTestServer server) : Node.NodeBase
    {
        public override Task<NodeGetInfoResponse> NodeGetInfo(NodeGetInfoRequest request, ServerCallContext context) =>
            Task.FromResult(new NodeGetInfoResponse
            {
                NodeId = "node-1",
                AccessibleTopology = new Topology { Segments = { ["topology.kubernetes.io/zone"] = "z1" } },
            });

        public override Task<NodeGetCapabilitiesResponse> NodeGetCapabilities(NodeGetCapabilitiesRequest request, ServerCallContext context) =>
            Task.FromResult(new NodeGetCapabilitiesResponse());

        public override Task<NodePublishVolumeResponse> NodePublishVolume(NodePublishVolumeRequest request, ServerCallContext context)
        {
            server.Published.Enqueue(request);
            return Task.FromResult(new NodePublishVolumeResponse());
        }

        public override Task<NodeUnpublishVolumeResponse> NodeUnpublishVolume(NodeUnpublishVolumeRequest request, ServerCallContext context) =>
            request.VolumeId == "missing"
                ? throw new RpcException(new Status(StatusCode.NotFound, "volume missing is not published"))
                : Task.FromResult(new NodeUnpublishVolumeResponse());
    }
}
