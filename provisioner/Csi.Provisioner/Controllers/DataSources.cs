using Csi.Provisioner.Driver;
using Csi.Provisioner.Models;
using Csi.Provisioner.Provisioning;
using Csi.V1;

namespace Csi.Provisioner.Controllers;

/// <summary>A claim's data source as CreateVolume's volume_content_source: a clone of a claim of the same driver; snapshots are refused.</summary>
public static class DataSources
{
    /// <returns>the content source, or null when another controller (a volume populator) owns the data source.</returns>
    public static VolumeContentSource? Resolve(TypedObjectReference source, VolumeRequestContext context, ProvisionerCache cache, DriverInfo driver)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(driver);
        var claim = context.Claim;
        var claimKey = $"{claim.Metadata.Namespace}/{claim.Metadata.Name}";
        var group = source.ApiGroup ?? string.Empty;
        if (source.Kind == "VolumeSnapshot" && group == "snapshot.storage.k8s.io")
        {
            throw new ProvisioningException($"claim {claimKey}: restoring from VolumeSnapshot \"{source.Name}\" is not supported by this provisioner yet; remove spec.dataSource, or clone from a PersistentVolumeClaim instead");
        }
        if (source.Kind != "PersistentVolumeClaim" || group.Length != 0)
        {
            return null;
        }
        if (source.Namespace is { Length: > 0 } ns && ns != claim.Metadata.Namespace)
        {
            throw new ProvisioningException($"claim {claimKey}: cloning from claim {ns}/{source.Name} in another namespace is not supported; clone a claim of namespace {claim.Metadata.Namespace}");
        }
        if (!driver.Has(ControllerServiceCapability.Types.RPC.Types.Type.CloneVolume))
        {
            throw new ProvisioningException($"claim {claimKey}: driver {driver.Name} does not support cloning (CLONE_VOLUME); remove spec.dataSource");
        }
        var sourceClaim = cache.Claims.Get(claim.Metadata.Namespace, source.Name ?? string.Empty)
            ?? throw new ProvisioningException($"claim {claimKey}: source claim \"{source.Name}\" of spec.dataSource does not exist in namespace {claim.Metadata.Namespace}");
        if (sourceClaim.Status?.Phase != "Bound" || string.IsNullOrEmpty(sourceClaim.Spec.VolumeName))
        {
            throw new ProvisioningException($"claim {claimKey}: source claim \"{source.Name}\" is not Bound yet; the clone waits for it");
        }
        var sourceVolume = cache.Volumes.Get(null, sourceClaim.Spec.VolumeName)
            ?? throw new ProvisioningException($"claim {claimKey}: PersistentVolume {sourceClaim.Spec.VolumeName} of source claim \"{source.Name}\" is not known yet");
        if (sourceVolume.Spec.Csi?.Driver != driver.Name || sourceVolume.Spec.Csi.VolumeHandle is not { Length: > 0 } handle)
        {
            throw new ProvisioningException($"claim {claimKey}: source claim \"{source.Name}\" is not a volume of driver {driver.Name}; a clone must come from the same driver");
        }
        if ((sourceClaim.Spec.VolumeMode ?? "Filesystem") != (claim.Spec.VolumeMode ?? "Filesystem"))
        {
            throw new ProvisioningException($"claim {claimKey}: volumeMode {claim.Spec.VolumeMode ?? "Filesystem"} differs from source claim \"{source.Name}\" ({sourceClaim.Spec.VolumeMode ?? "Filesystem"}); use the same mode");
        }
        if (sourceVolume.Spec.Capacity?.GetValueOrDefault("storage") is { } sourceSize && Quantity.TryParseBytes(sourceSize, out var sourceBytes)
            && CreateVolumeRequestBuilder.RequestedBytes(context) < sourceBytes)
        {
            throw new ProvisioningException($"claim {claimKey}: requested size is smaller than source claim \"{source.Name}\" ({sourceSize}); request at least {sourceSize}");
        }
        return new VolumeContentSource { Volume = new VolumeContentSource.Types.VolumeSource { VolumeId = handle } };
    }
}
