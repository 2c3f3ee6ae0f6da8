using System.Globalization;
using Csi.V1;

namespace Csictl;

/// <summary>
/// The calls kubelet and external-resizer make for a PersistentVolume beyond publish: NodeStageVolume,
/// NodeUnstageVolume, ControllerExpandVolume and NodeExpandVolume.
/// </summary>
internal static class StageCommands
{
    public static CommandSpec Stage { get; } = new(
        "stage",
        "Stage a volume at a node-global staging path, as kubelet does before publishing a PersistentVolume (NodeStageVolume).",
        "--volume-id ID --staging-path PATH [flags]",
        [
            new("volume-id", FlagKind.Value, "volume id (required)", "ID"),
            new("staging-path", FlagKind.Value, "staging path (required)", "PATH"),
            new("fs-type", FlagKind.Value, "filesystem type of the mount capability", "TYPE"),
            new("mount-flag", FlagKind.Repeated, "mount flag; repeatable", "FLAG"),
            new("attrib", FlagKind.Repeated, "volume context entry (the PV's volumeAttributes); repeatable", "KEY=VALUE"),
        ],
        StageAsync);

    public static CommandSpec Unstage { get; } = new(
        "unstage",
        "Unstage a volume from its staging path (NodeUnstageVolume).",
        "--volume-id ID --staging-path PATH",
        [
            new("volume-id", FlagKind.Value, "volume id (required)", "ID"),
            new("staging-path", FlagKind.Value, "staging path (required)", "PATH"),
        ],
        UnstageAsync);

    public static CommandSpec ControllerExpand { get; } = new(
        "controller-expand",
        "Grow a volume on the controller side, as external-resizer does (ControllerExpandVolume).",
        "--volume-id ID --size SIZE",
        [
            new("volume-id", FlagKind.Value, "volume id (required)", "ID"),
            new("size", FlagKind.Value, "new size: bytes or Ki/Mi/Gi/Ti (required)", "SIZE"),
            new("fs-type", FlagKind.Value, "filesystem type of the mount capability", "TYPE"),
        ],
        ControllerExpandAsync);

    public static CommandSpec NodeExpand { get; } = new(
        "node-expand",
        "Grow a published volume's filesystem on the node, as kubelet does after a resize (NodeExpandVolume).",
        "--volume-id ID --volume-path PATH --size SIZE [--staging-path PATH]",
        [
            new("volume-id", FlagKind.Value, "volume id (required)", "ID"),
            new("volume-path", FlagKind.Value, "where the volume is published (required)", "PATH"),
            new("staging-path", FlagKind.Value, "staging path", "PATH"),
            new("size", FlagKind.Value, "new size: bytes or Ki/Mi/Gi/Ti (required)", "SIZE"),
            new("fs-type", FlagKind.Value, "filesystem type of the mount capability", "TYPE"),
        ],
        NodeExpandAsync);

    internal static VolumeCapability MountCapability(CommandLine line)
    {
        var mount = new VolumeCapability.Types.MountVolume { FsType = line.Value("fs-type") ?? "" };
        mount.MountFlags.AddRange(line.Values("mount-flag"));
        return new VolumeCapability
        {
            Mount = mount,
            AccessMode = new VolumeCapability.Types.AccessMode { Mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter },
        };
    }

    private static async Task StageAsync(CommandContext ctx)
    {
        var request = new NodeStageVolumeRequest
        {
            VolumeId = ctx.Line.Required("volume-id"),
            StagingTargetPath = ctx.Line.Required("staging-path"),
            VolumeCapability = MountCapability(ctx.Line),
        };
        foreach (var (key, value) in ctx.Line.Pairs("attrib"))
        {
            request.VolumeContext[key] = value;
        }

        var response = await ctx.CallAsync("NodeStageVolume", o => ctx.Client.Node.NodeStageVolumeAsync(request, o)).ConfigureAwait(false);
        if (ctx.Json)
        {
            ctx.WriteJson(("NodeStageVolume", response));
            return;
        }

        new KeyValueOutput().Add("staged", request.VolumeId).Add("staging_path", request.StagingTargetPath).WriteTo(ctx.Stdout);
    }

    private static async Task UnstageAsync(CommandContext ctx)
    {
        var request = new NodeUnstageVolumeRequest
        {
            VolumeId = ctx.Line.Required("volume-id"),
            StagingTargetPath = ctx.Line.Required("staging-path"),
        };
        var response = await ctx.CallAsync("NodeUnstageVolume", o => ctx.Client.Node.NodeUnstageVolumeAsync(request, o)).ConfigureAwait(false);
        if (ctx.Json)
        {
            ctx.WriteJson(("NodeUnstageVolume", response));
            return;
        }

        new KeyValueOutput().Add("unstaged", request.VolumeId).Add("staging_path", request.StagingTargetPath).WriteTo(ctx.Stdout);
    }

    private static async Task ControllerExpandAsync(CommandContext ctx)
    {
        var request = new ControllerExpandVolumeRequest
        {
            VolumeId = ctx.Line.Required("volume-id"),
            CapacityRange = new CapacityRange { RequiredBytes = ParseSize(ctx.Line) },
            VolumeCapability = MountCapability(ctx.Line),
        };
        var response = await ctx.CallAsync("ControllerExpandVolume", o => ctx.Client.Controller.ControllerExpandVolumeAsync(request, o)).ConfigureAwait(false);
        if (ctx.Json)
        {
            ctx.WriteJson(("ControllerExpandVolume", response));
            return;
        }

        new KeyValueOutput()
            .Add("expanded", request.VolumeId)
            .Add("capacity_bytes", response.CapacityBytes.ToString(CultureInfo.InvariantCulture))
            .Add("node_expansion_required", response.NodeExpansionRequired ? "true" : "false")
            .WriteTo(ctx.Stdout);
    }

    private static async Task NodeExpandAsync(CommandContext ctx)
    {
        var request = new NodeExpandVolumeRequest
        {
            VolumeId = ctx.Line.Required("volume-id"),
            VolumePath = ctx.Line.Required("volume-path"),
            StagingTargetPath = ctx.Line.Value("staging-path") ?? "",
            CapacityRange = new CapacityRange { RequiredBytes = ParseSize(ctx.Line) },
            VolumeCapability = MountCapability(ctx.Line),
        };
        var response = await ctx.CallAsync("NodeExpandVolume", o => ctx.Client.Node.NodeExpandVolumeAsync(request, o)).ConfigureAwait(false);
        if (ctx.Json)
        {
            ctx.WriteJson(("NodeExpandVolume", response));
            return;
        }

        new KeyValueOutput()
            .Add("expanded", request.VolumeId)
            .Add("capacity_bytes", response.CapacityBytes.ToString(CultureInfo.InvariantCulture))
            .WriteTo(ctx.Stdout);
    }

    private static long ParseSize(CommandLine line)
    {
        var text = line.Required("size");
        var units = new[] { ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40) };
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(0, text.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
            {
                return n * factor;
            }
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes > 0
            ? bytes
            : throw new UsageException($"flag --size takes bytes or Ki/Mi/Gi/Ti, such as 128Mi, not '{text}'", line.Command);
    }
}
