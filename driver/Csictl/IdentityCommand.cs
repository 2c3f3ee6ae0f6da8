using Csi.V1;

namespace Csictl;

internal static class IdentityCommand
{
    public static CommandSpec Spec { get; } =
        new("identity", "Show the plugin's name, version and capabilities, and whether it is ready (GetPluginInfo, GetPluginCapabilities, Probe).", "", [], RunAsync);

    private static async Task RunAsync(CommandContext ctx)
    {
        var identity = ctx.Client.Identity;
        var info = await ctx.CallAsync("GetPluginInfo", o => identity.GetPluginInfoAsync(new GetPluginInfoRequest(), o)).ConfigureAwait(false);
        var capabilities = await ctx.CallAsync("GetPluginCapabilities", o => identity.GetPluginCapabilitiesAsync(new GetPluginCapabilitiesRequest(), o)).ConfigureAwait(false);
        var probe = await ctx.CallAsync("Probe", o => identity.ProbeAsync(new ProbeRequest(), o)).ConfigureAwait(false);

        if (ctx.Json)
        {
            ctx.WriteJson(("GetPluginInfo", info), ("GetPluginCapabilities", capabilities), ("Probe", probe));
            return;
        }

        var output = new KeyValueOutput()
            .Add("name", info.Name)
            .Add("vendor_version", info.VendorVersion);
        foreach (var (key, value) in info.Manifest.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            output.Add($"manifest.{key}", value);
        }

        output
            .Add("capabilities", string.Join(", ", capabilities.Capabilities.Select(Describe)))
            .Add("ready", probe.Ready switch
            {
                true => "true",
                false => "false",
                null => "(not reported)",
            })
            .WriteTo(ctx.Stdout);
    }

    private static string Describe(PluginCapability capability) => capability.TypeCase switch
    {
        PluginCapability.TypeOneofCase.Service =>
            ProtoEnum.Name(PluginCapability.Types.Service.Descriptor.EnumTypes[0], (int)capability.Service.Type),
        PluginCapability.TypeOneofCase.VolumeExpansion =>
            "VOLUME_EXPANSION=" + ProtoEnum.Name(PluginCapability.Types.VolumeExpansion.Descriptor.EnumTypes[0], (int)capability.VolumeExpansion.Type),
        _ => "(unknown)",
    };
}
