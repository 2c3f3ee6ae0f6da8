using Csi.V1;
using LocalVolume.Driver.Volumes;

namespace LocalVolume.Driver.CsiServices;

/// <summary>Which volume capabilities a node-local volume can honour, and what a set of them asks for.</summary>
internal static class CapabilityRules
{
    /// <summary>Node-local storage can be used by one node at a time; every single-node mode is served.</summary>
    public static bool IsSingleNode(VolumeCapability.Types.AccessMode.Types.Mode mode)
        => mode is VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter
            or VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeReaderOnly
            or VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeSingleWriter
            or VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeMultiWriter;

    /// <summary>Checks each capability for presence and support; returns whether they ask for block and the filesystem they name.</summary>
    public static (bool Block, string? FileSystem) Check(IReadOnlyList<VolumeCapability> capabilities, string field)
    {
        if (capabilities.Count == 0)
        {
            throw CallGuard.Invalid($"{field}: missing");
        }
        bool? block = null;
        string? fileSystem = null;
        foreach (var capability in capabilities)
        {
            var isBlock = Check(capability, field);
            if (block is not null && block != isBlock)
            {
                throw CallGuard.Invalid($"{field}: mixes block and mount access types; a volume is one or the other");
            }
            block = isBlock;
            if (capability.Mount is { FsType.Length: > 0 } mount)
            {
                fileSystem = mount.FsType;
            }
        }
        return (block ?? false, fileSystem);
    }

    /// <summary>Checks one capability; returns whether it is block.</summary>
    public static bool Check(VolumeCapability? capability, string field)
    {
        if (capability is null)
        {
            throw CallGuard.Invalid($"{field}: missing");
        }
        if (capability.AccessMode is null)
        {
            throw CallGuard.Invalid($"{field}.access_mode: missing");
        }
        if (capability.AccessTypeCase == VolumeCapability.AccessTypeOneofCase.None)
        {
            throw CallGuard.Invalid($"{field}: neither block nor mount access type is set");
        }
        if (!IsSingleNode(capability.AccessMode.Mode))
        {
            throw CallGuard.Invalid($"{field}.access_mode: {capability.AccessMode.Mode} is not served; node-local volumes are single-node");
        }
        return capability.AccessTypeCase == VolumeCapability.AccessTypeOneofCase.Block;
    }

    /// <summary>Whether the capability can be served for this volume, and why not when it cannot.</summary>
    public static string? Unsupported(VolumeRecord volume, VolumeCapability capability)
    {
        if (capability.AccessMode is null || !IsSingleNode(capability.AccessMode.Mode))
        {
            return $"access mode {capability.AccessMode?.Mode.ToString() ?? "(none)"} is not single-node";
        }
        var block = capability.AccessTypeCase == VolumeCapability.AccessTypeOneofCase.Block;
        if (capability.AccessTypeCase == VolumeCapability.AccessTypeOneofCase.None)
        {
            return "no access type";
        }
        if (block != volume.Block)
        {
            return $"volume {volume.Id} is a {(volume.Block ? "block" : "filesystem")} volume";
        }
        if (!block && capability.Mount.FsType.Length > 0 && volume.FileSystem.Length > 0 && capability.Mount.FsType != volume.FileSystem)
        {
            return $"volume {volume.Id} carries {volume.FileSystem}, not {capability.Mount.FsType}";
        }
        return null;
    }
}
