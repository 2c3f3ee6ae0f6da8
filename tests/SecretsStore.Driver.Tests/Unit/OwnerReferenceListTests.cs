using Csi.Kubernetes.Models;
using SecretsStore.Driver.SecretSync;

namespace SecretsStore.Driver.Tests.Unit;

public sealed class OwnerReferenceListTests
{
    private static readonly OwnerReference ReplicaSet = new() { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web-abc", Uid = "rs-1", Controller = true };

    [Fact]
    public void Add_KeepsEveryOtherOwner_AndAppendsThePod()
    {
        var owners = OwnerReferenceList.Add([ReplicaSet], OwnerReferenceList.ForPod("web-1", "pod-1"));

        Assert.Equal(["rs-1", "pod-1"], owners.Select(o => o.Uid));
        Assert.Equal(("v1", "Pod", "web-1"), (owners[1].ApiVersion, owners[1].Kind, owners[1].Name));
        Assert.Null(owners[1].Controller);
    }

    [Fact]
    public void Add_OfAnOwnerAlreadyThere_ReturnsTheSameList()
    {
        List<OwnerReference> owners = [OwnerReferenceList.ForPod("web-1", "pod-1")];

        Assert.Same(owners, OwnerReferenceList.Add(owners, OwnerReferenceList.ForPod("web-1", "pod-1")));
    }

    [Fact]
    public void Add_ToNoOwners_StartsAList()
        => Assert.Single(OwnerReferenceList.Add(null, OwnerReferenceList.ForPod("web-1", "pod-1")));

    [Fact]
    public void RemoveUnlessLast_DropsOnlyThatPod()
    {
        var owners = OwnerReferenceList.RemoveUnlessLast([ReplicaSet, OwnerReferenceList.ForPod("a", "pod-1"), OwnerReferenceList.ForPod("b", "pod-2")], "pod-1");

        Assert.Equal(["rs-1", "pod-2"], owners!.Select(o => o.Uid));
    }

    [Fact]
    public void RemoveUnlessLast_LeavesTheLastOwner_SoTheGarbageCollectorTakesTheSecretWithThePod()
        => Assert.Null(OwnerReferenceList.RemoveUnlessLast([OwnerReferenceList.ForPod("a", "pod-1")], "pod-1"));

    [Fact]
    public void RemoveUnlessLast_OfAnAbsentOwner_ChangesNothing()
        => Assert.Null(OwnerReferenceList.RemoveUnlessLast([OwnerReferenceList.ForPod("a", "pod-1")], "pod-9"));

    [Fact]
    public void ControllerOf_FindsTheControllingReplicaSet_AndNothingForAPodWithoutOne()
    {
        var rs = new OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web-5d4f", Uid = "rs", Controller = true, BlockOwnerDeletion = true };
        var other = new OwnerReference { ApiVersion = "example.com/v1", Kind = "Keeper", Name = "k", Uid = "k", Controller = false };

        var owner = OwnerReferenceList.ControllerOf([other, rs]);

        Assert.Equal(("apps/v1", "ReplicaSet", "web-5d4f", "rs", null), (owner!.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.BlockOwnerDeletion));
        Assert.Null(OwnerReferenceList.ControllerOf([other]));
        Assert.Null(OwnerReferenceList.ControllerOf([new OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = "j", Uid = "j", Controller = true }]));
        Assert.Null(OwnerReferenceList.ControllerOf(null));
    }

    [Fact]
    public void OnlyDriverOwners_IsTrueForPodsAndPodControllers_Only()
    {
        var pod = OwnerReferenceList.ForPod("web", "p");
        var rs = new OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "rs", Uid = "rs" };
        var other = new OwnerReference { ApiVersion = "example.com/v1", Kind = "Keeper", Name = "k", Uid = "k" };

        Assert.True(OwnerReferenceList.OnlyDriverOwners([pod, rs]));
        Assert.False(OwnerReferenceList.OnlyDriverOwners([pod, other]));
        Assert.False(OwnerReferenceList.OnlyDriverOwners([]));
        Assert.False(OwnerReferenceList.OnlyDriverOwners(null));
    }
}
