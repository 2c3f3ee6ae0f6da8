using Csi.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// The floor every node binary is measured against: the smallest .NET gRPC server on a unix socket, Native AOT,
// the slim builder, no logging, serving only CSI Identity.Probe. Usage: startup-probe <socket path>.
if (args.Length != 1)
{
    await Console.Error.WriteLineAsync("usage: startup-probe <socket path>").ConfigureAwait(false);
    return 2;
}
var socket = args[0];
File.Delete(socket);

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    ContentRootPath = AppContext.BaseDirectory,
    Args = ["--hostBuilder:reloadConfigOnChange=false"],
});
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socket, listen => listen.Protocols = HttpProtocols.Http2));
builder.Services.AddGrpc();
var app = builder.Build();
app.MapGrpcService<ProbeOnly>();
await app.RunAsync().ConfigureAwait(false);
return 0;

/// <summary>Answers Probe, as a node plugin's Identity service does; nothing else.</summary>
internal sealed class ProbeOnly : Identity.IdentityBase
{
    public override Task<ProbeResponse> Probe(ProbeRequest request, ServerCallContext context) => Task.FromResult(new ProbeResponse { Ready = true });
}
