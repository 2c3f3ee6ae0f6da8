using Csi.V1;

namespace Csi.Provisioner.Provisioning;

/// <summary>Builds CreateVolume from a claim and its class as upstream does (pure: every input is in the context).</summary>
public static class CreateVolumeRequestBuilder
{
    public static CreateVolumeRequest Build(VolumeRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var claim = context.Claim;
        var claimName = $"{claim.Metadata.Namespace}/{claim.Metadata.Name}";
        var request = new CreateVolumeRequest
        {
            Name = context.VolumeName,
            CapacityRange = new CapacityRange { RequiredBytes = RequestedBytes(context) },
        };
        if (claim.Spec.Resources?.Limits is { } limits && limits.TryGetValue("storage", out var limitText))
        {
            if (!Quantity.TryParseBytes(limitText, out var limit))
            {
                throw new ProvisioningException($"claim {claimName}: spec.resources.limits.storage \"{limitText}\" is not a quantity (e.g. 10Gi)");
            }
            request.CapacityRange.LimitBytes = limit;
        }

        var accessModes = claim.Spec.AccessModes ?? [];
        if (accessModes.Count == 0)
        {
            throw new ProvisioningException($"claim {claimName}: spec.accessModes is empty; name at least one (e.g. ReadWriteOnce)");
        }
        foreach (var mode in accessModes.Distinct(StringComparer.Ordinal))
        {
            var capability = new VolumeCapability { AccessMode = new VolumeCapability.Types.AccessMode { Mode = AccessMode(claimName, mode, context.SingleNodeMultiWriter) } };
            if (context.IsBlock)
            {
                capability.Block = new VolumeCapability.Types.BlockVolume();
            }
            else
            {
                capability.Mount = new VolumeCapability.Types.MountVolume { FsType = FsType(context) };
                capability.Mount.MountFlags.Add(context.Class.MountOptions ?? []);
            }
            request.VolumeCapabilities.Add(capability);
        }

        foreach (var (key, value) in context.Parameters.DriverParameters)
        {
            request.Parameters[key] = value;
        }
        if (context.ExtraCreateMetadata)
        {
            request.Parameters[ClassParameters.PvcNameKey] = claim.Metadata.Name ?? string.Empty;
            request.Parameters[ClassParameters.PvcNamespaceKey] = claim.Metadata.Namespace ?? string.Empty;
            request.Parameters[ClassParameters.PvNameKey] = context.VolumeName;
        }
        if (context.ProvisionerSecrets is { } secrets)
        {
            foreach (var (key, value) in secrets)
            {
                request.Secrets[key] = value;
            }
        }
        if (context.Topology is { } topology)
        {
            request.AccessibilityRequirements = topology;
        }
        if (context.ContentSource is { } source)
        {
            request.VolumeContentSource = source;
        }
        return request;
    }

    /// <summary>spec.resources.requests.storage in bytes.</summary>
    public static long RequestedBytes(VolumeRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var claim = context.Claim;
        if (claim.Spec.Resources?.Requests is not { } requests || !requests.TryGetValue("storage", out var text))
        {
            throw new ProvisioningException($"claim {claim.Metadata.Namespace}/{claim.Metadata.Name}: spec.resources.requests.storage is missing; request a size (e.g. 1Gi)");
        }
        if (!Quantity.TryParseBytes(text, out var bytes))
        {
            throw new ProvisioningException($"claim {claim.Metadata.Namespace}/{claim.Metadata.Name}: spec.resources.requests.storage \"{text}\" is not a quantity (e.g. 10Gi)");
        }
        return bytes;
    }

    /// <summary>The filesystem type: the class's csi.storage.k8s.io/fstype, else --default-fstype, else empty (the driver's choice).</summary>
    public static string FsType(VolumeRequestContext context)
        => context?.Parameters.FsType is { Length: > 0 } fs ? fs : context?.DefaultFsType ?? string.Empty;

    private static VolumeCapability.Types.AccessMode.Types.Mode AccessMode(string claimName, string mode, bool singleNodeMultiWriter) => mode switch
    {
        "ReadWriteOnce" => singleNodeMultiWriter ? VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeMultiWriter : VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter,
        "ReadWriteOncePod" => singleNodeMultiWriter ? VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeSingleWriter : VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter,
        "ReadOnlyMany" => VolumeCapability.Types.AccessMode.Types.Mode.MultiNodeReaderOnly,
        "ReadWriteMany" => VolumeCapability.Types.AccessMode.Types.Mode.MultiNodeMultiWriter,
        _ => throw new ProvisioningException($"claim {claimName}: access mode \"{mode}\" is unknown; use ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod"),
    };
}
