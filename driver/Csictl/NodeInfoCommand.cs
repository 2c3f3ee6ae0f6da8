using System.Globalization;
using Csi.V1;

namespace Csictl;

internal static class NodeInfoCommand
{
    public static CommandSpec Spec { get; } =
        new("node-info", "Show the node's id, volume limit, topology and capabilities (NodeGetInfo, NodeGetCapabilities).", "", [], RunAsync);

    private static async Task RunAsync(CommandContext ctx)
    {
        var node = ctx.Client.Node;
        var info = await ctx.CallAsync("NodeGetInfo", o => node.NodeGetInfoAsync(new NodeGetInfoRequest(), o)).ConfigureAwait(false);
        var capabilities = await ctx.CallAsync("NodeGetCapabilities", o => node.NodeGetCapabilitiesAsync(new NodeGetCapabilitiesRequest(), o)).ConfigureAwait(false);

        if (ctx.Json)
        {
            ctx.WriteJson(("NodeGetInfo", info), ("NodeGetCapabilities", capabilities));
            return;
        }

        var topology = info.AccessibleTopology?.Segments.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}") ?? [];
        new KeyValueOutput()
            .Add("node_id", info.NodeId)
            .Add("max_volumes_per_node", info.MaxVolumesPerNode.ToString(CultureInfo.InvariantCulture))
            .Add("accessible_topology", string.Join(", ", topology))
            .Add("capabilities", string.Join(", ", capabilities.Capabilities.Select(Describe)))
            .WriteTo(ctx.Stdout);
    }

    private static string Describe(NodeServiceCapability capability) => capability.TypeCase == NodeServiceCapability.TypeOneofCase.Rpc
        ? ProtoEnum.Name(NodeServiceCapability.Types.RPC.Descriptor.EnumTypes[0], (int)capability.Rpc.Type)
        : "(unknown)";
}
