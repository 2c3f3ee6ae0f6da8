using Csi.V1;

namespace Csictl;

internal static class UnpublishCommand
{
    public static CommandSpec Spec { get; } = new(
        "unpublish",
        "Unpublish a volume from a target path (NodeUnpublishVolume).",
        "--volume-id ID --target-path PATH",
        [
            new("volume-id", FlagKind.Value, "volume id (required)", "ID"),
            new("target-path", FlagKind.Value, "path the volume was published at (required)", "PATH"),
        ],
        RunAsync);

    private static async Task RunAsync(CommandContext ctx)
    {
        var request = new NodeUnpublishVolumeRequest
        {
            VolumeId = ctx.Line.Required("volume-id"),
            TargetPath = ctx.Line.Required("target-path"),
        };
        var response = await ctx.CallAsync("NodeUnpublishVolume", o => ctx.Client.Node.NodeUnpublishVolumeAsync(request, o)).ConfigureAwait(false);

        if (ctx.Json)
        {
            ctx.WriteJson(("NodeUnpublishVolume", response));
            return;
        }

        new KeyValueOutput()
            .Add("unpublished", request.VolumeId)
            .Add("target_path", request.TargetPath)
            .WriteTo(ctx.Stdout);
    }
}
