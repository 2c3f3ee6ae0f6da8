using Csi.Kubernetes.Models;

namespace SecretsStore.Driver.SecretSync;

/// <summary>
/// A synced Secret's ownerReferences: one per pod that mounts it, across nodes. Adding keeps every other owner
/// (a merge patch would replace the list, so the driver always writes the merged list with a resourceVersion).
/// </summary>
public static class OwnerReferenceList
{
    public static OwnerReference ForPod(string podName, string podUid)
        => new() { ApiVersion = "v1", Kind = "Pod", Name = podName, Uid = podUid };

    /// <summary>The list with <paramref name="owner"/> in it (by uid); the same instance when it already was.</summary>
    public static List<OwnerReference> Add(List<OwnerReference>? owners, OwnerReference owner)
    {
        owners ??= [];
        if (owners.Any(o => o.Uid == owner.Uid))
        {
            return owners;
        }
        return [.. owners, owner];
    }

    /// <summary>
    /// The list without <paramref name="uid"/>, or null when nothing should change: the uid is absent, or it is the
    /// last owner, which stays so that the garbage collector deletes the Secret with that pod (a Secret with no
    /// owner at all would never be collected).
    /// </summary>
    public static List<OwnerReference>? RemoveUnlessLast(List<OwnerReference>? owners, string uid)
    {
        if (owners is null || !owners.Any(o => o.Uid == uid) || owners.All(o => o.Uid == uid))
        {
            return null;
        }
        return owners.Where(o => o.Uid != uid).ToList();
    }
}
