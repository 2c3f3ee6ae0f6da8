using Csi.V1;
using Grpc.Core;

namespace SecretsStore.Driver.CsiServices;

/// <summary>
/// CSI Controller: a node-only plugin, so the capability list is empty and every other call answers
/// Unimplemented. Answering the list (rather than Unimplemented) lets conformance tools, which ask it before
/// every node spec, run their node specs.
/// </summary>
public sealed class ControllerService : Controller.ControllerBase
{
    public override Task<ControllerGetCapabilitiesResponse> ControllerGetCapabilities(ControllerGetCapabilitiesRequest request, ServerCallContext context)
        => Task.FromResult(new ControllerGetCapabilitiesResponse());
}
