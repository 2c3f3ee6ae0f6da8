using Csi.Client;
using Csi.V1;

namespace Csictl;

internal static class PublishCommand
{
    public static CommandSpec Spec { get; } = new(
        "publish",
        "Publish a volume the way kubelet does (NodePublishVolume): a CSI inline ephemeral volume, or with --staging-path a staged PersistentVolume.",
        "--volume-id ID --target-path PATH [flags]",
        [
            new("volume-id", FlagKind.Value, "volume id (required)", "ID"),
            new("target-path", FlagKind.Value, "where to publish the volume (required)", "PATH"),
            new("staging-path", FlagKind.Value, "where the volume was staged (NodeStageVolume), for drivers that stage", "PATH"),
            new("readonly", FlagKind.Switch, "publish read-only"),
            new("fs-type", FlagKind.Value, "filesystem type of the mount capability", "TYPE"),
            new("mount-flag", FlagKind.Repeated, "mount flag; repeatable", "FLAG"),
            new("access-mode", FlagKind.Value, "access mode, e.g. SINGLE_NODE_READER_ONLY (default SINGLE_NODE_WRITER)", "MODE"),
            new("attrib", FlagKind.Repeated, "volume context entry; repeatable", "KEY=VALUE"),
            new("secret", FlagKind.Repeated, "node-publish secret; repeatable", "KEY=VALUE"),
            new("pod-name", FlagKind.Value, "pod name for the pod-info volume context", "NAME"),
            new("pod-namespace", FlagKind.Value, "pod namespace for the pod-info volume context", "NAMESPACE"),
            new("pod-uid", FlagKind.Value, "pod UID for the pod-info volume context", "UID"),
            new("service-account", FlagKind.Value, "service account name for the pod-info volume context", "NAME"),
            new("token", FlagKind.Repeated, "service account token for an audience; repeatable", "AUDIENCE=TOKEN"),
            new("tokens-in-secrets", FlagKind.Switch, "send tokens in secrets instead of the volume context (Kubernetes >= 1.35)"),
        ],
        RunAsync);

    private static PublishOptions ReadOptions(CommandLine line) => new()
    {
        VolumeId = line.Required("volume-id"),
        TargetPath = line.Required("target-path"),
        Readonly = line.Switch("readonly"),
        FsType = line.Value("fs-type"),
        MountFlags = line.Values("mount-flag"),
        AccessMode = line.Value("access-mode") is { } mode ? ParseAccessMode(mode, line) : VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter,
        Attributes = line.Pairs("attrib"),
        Secrets = line.Pairs("secret"),
        PodName = line.Value("pod-name"),
        PodNamespace = line.Value("pod-namespace"),
        PodUid = line.Value("pod-uid"),
        ServiceAccountName = line.Value("service-account"),
        Tokens = line.Pairs("token"),
        TokensInSecrets = line.Switch("tokens-in-secrets"),
    };

    private static async Task RunAsync(CommandContext ctx)
    {
        var request = CsiClient.BuildPublishRequest(ReadOptions(ctx.Line));
        request.StagingTargetPath = ctx.Line.Value("staging-path") ?? "";
        var response = await ctx.CallAsync("NodePublishVolume", o => ctx.Client.Node.NodePublishVolumeAsync(request, o)).ConfigureAwait(false);

        if (ctx.Json)
        {
            ctx.WriteJson(("NodePublishVolume", response));
            return;
        }

        new KeyValueOutput()
            .Add("published", request.VolumeId)
            .Add("target_path", request.TargetPath)
            .WriteTo(ctx.Stdout);
    }

    // Takes the spec's names in any case, with - or _ (single-node-reader-only), or the number.
    private static VolumeCapability.Types.AccessMode.Types.Mode ParseAccessMode(string text, CommandLine line)
    {
        var modes = VolumeCapability.Types.AccessMode.Descriptor.EnumTypes[0];
        var value = int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? modes.FindValueByNumber(number)
            : modes.FindValueByName(text.ToUpperInvariant().Replace('-', '_'));
        if (value is null || value.Number == 0)
        {
            var names = string.Join(", ", modes.Values.Where(v => v.Number != 0).Select(v => v.Name));
            throw new UsageException($"flag --access-mode takes one of {names}, not '{text}'", line.Command);
        }

        return (VolumeCapability.Types.AccessMode.Types.Mode)value.Number;
    }
}
