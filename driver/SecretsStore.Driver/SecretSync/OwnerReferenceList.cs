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

    /// <summary>The kinds of pod controller whose objects may own a synced Secret under --secret-owner=controller.</summary>
    public static readonly IReadOnlySet<string> ControllerKinds = new HashSet<string>(StringComparer.Ordinal) { "ReplicaSet", "StatefulSet", "DaemonSet" };

    /// <summary>The pod's controlling ReplicaSet, StatefulSet or DaemonSet among its ownerReferences, as an owner for a Secret; null when it has none.</summary>
    public static OwnerReference? ControllerOf(IEnumerable<OwnerReference>? podOwners)
        => podOwners?.FirstOrDefault(o => o.Controller == true && o.ApiVersion == "apps/v1" && ControllerKinds.Contains(o.Kind)) is { } c
            ? new OwnerReference { ApiVersion = c.ApiVersion, Kind = c.Kind, Name = c.Name, Uid = c.Uid }
            : null;

    /// <summary>Whether every owner is one the driver writes (a pod, or a pod controller): a Secret nobody else claims.</summary>
    public static bool OnlyDriverOwners(List<OwnerReference>? owners)
        => owners is { Count: > 0 } && owners.All(o => (o.ApiVersion == "v1" && o.Kind == "Pod") || (o.ApiVersion == "apps/v1" && ControllerKinds.Contains(o.Kind)));

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
