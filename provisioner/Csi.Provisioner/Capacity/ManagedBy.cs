using System.Security.Cryptography;
using System.Text;

namespace Csi.Provisioner.Capacity;

/// <summary>The labels that mark this provisioner's CSIStorageCapacity objects, valued as upstream's.</summary>
public static class ManagedBy
{
    public const string DriverNameLabel = "csi.storage.k8s.io/drivername";
    public const string ManagedByLabel = "csi.storage.k8s.io/managed-by";
    public const string Central = "external-provisioner";

    /// <summary>"external-provisioner", or "external-provisioner-NODE" per node; shortened with a hash to a 63-character label value.</summary>
    public static string For(string? nodeName)
    {
        if (string.IsNullOrEmpty(nodeName))
        {
            return Central;
        }
        var full = Central + "-" + nodeName;
        if (full.Length <= 63)
        {
            return full;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..8];
        return full[..54].TrimEnd('-', '.', '_') + "-" + hash;
    }

    public static string Selector(string driverName, string managedBy) => $"{DriverNameLabel}={driverName},{ManagedByLabel}={managedBy}";
}
