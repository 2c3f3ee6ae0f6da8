using Csi.Provisioner.Controllers;
using Csi.Provisioner.Models;

namespace Csi.Provisioner.Tests.Unit;

/// <summary>When the source of a clone carries the cloning-protection finalizer.</summary>
public class CloningProtectionTests
{
    private static PersistentVolumeClaim Clone(string uid, string source = "source", string? volumeName = null, bool deleting = false, string? kind = "PersistentVolumeClaim", string? ns = null)
    {
        var claim = Objects.Claim();
        claim.Metadata.Name = "clone-" + uid;
        claim.Metadata.Uid = uid;
        claim.Metadata.DeletionTimestamp = deleting ? "2026-01-01T00:00:00Z" : null;
        claim.Spec.VolumeName = volumeName;
        claim.Spec.DataSource = new TypedObjectReference { Kind = kind, Name = source, Namespace = ns };
        return claim;
    }

    private static bool InProgress(IEnumerable<PersistentVolumeClaim> claims, IEnumerable<PersistentVolumeClaim>? inFlight = null, string? finished = null, Func<PersistentVolumeClaim, bool>? hasVolume = null)
        => CloningProtection.IsCloneInProgress("apps", "source", claims, inFlight ?? [], hasVolume ?? (_ => false), finished);

    [Fact]
    public void SourceOf_NamesAClaimOfTheSameNamespaceOnly()
    {
        Assert.Equal("source", CloningProtection.SourceOf(Clone("a")));
        Assert.Equal("source", CloningProtection.SourceOf(Clone("a", ns: "apps")));
        Assert.Null(CloningProtection.SourceOf(Clone("a", ns: "other")));
        Assert.Null(CloningProtection.SourceOf(Clone("a", kind: "VolumeSnapshot")));
        Assert.Null(CloningProtection.SourceOf(Objects.Claim()));
    }

    [Fact]
    public void PendingClone_KeepsTheFinalizer() => Assert.True(InProgress([Clone("a")]));

    [Fact]
    public void TheCloneThatJustFinished_DoesNotCount() => Assert.False(InProgress([Clone("a")], finished: "a"));

    [Fact]
    public void AnotherPendingClone_StillKeepsIt() => Assert.True(InProgress([Clone("a"), Clone("b")], finished: "a"));

    [Fact]
    public void BoundOrProvisionedClones_AndClonesOfOtherSources_DoNotCount()
    {
        Assert.False(InProgress([Clone("a", volumeName: "pvc-a")]));
        Assert.False(InProgress([Clone("a")], hasVolume: c => c.Metadata.Uid == "a"));
        Assert.False(InProgress([Clone("a", source: "other")]));
    }

    [Fact]
    public void DeletedClone_CountsOnlyWhileItsCreateVolumeIsInFlight()
    {
        Assert.False(InProgress([Clone("a", deleting: true)]));
        Assert.True(InProgress([Clone("a", deleting: true)], inFlight: [Clone("a", deleting: true)]));
        Assert.True(InProgress([], inFlight: [Clone("a")]));
    }
}
