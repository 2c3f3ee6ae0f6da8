using Csi.Provisioner.Controllers;
using Csi.Provisioner.Models;
using Csi.Provisioner.Provisioning;
using Grpc.Core;

namespace Csi.Provisioner.Tests.Unit;

/// <summary>Which claim a sync works on when a CreateVolume was left without a final answer, and what ends that state.</summary>
public class InFlightClaimsTests
{
    private static PersistentVolumeClaim Claim(string uid, bool deleting = false)
    {
        var claim = Objects.Claim();
        claim.Metadata.Uid = uid;
        claim.Metadata.DeletionTimestamp = deleting ? "2026-01-01T00:00:00Z" : null;
        return claim;
    }

    [Fact]
    public void Choose_NothingInFlight_TakesTheInformersClaim()
    {
        var cached = Claim("a");
        Assert.Equal((cached, false), InFlightClaims.Choose(cached, null));
        Assert.Equal((null, false), InFlightClaims.Choose(null, null));
    }

    [Fact]
    public void Choose_ClaimDeletedInFlight_KeepsWorkingOnTheRememberedClaim()
    {
        var inFlight = Claim("a");
        Assert.Equal((inFlight, true), InFlightClaims.Choose(null, inFlight));
    }

    [Fact]
    public void Choose_ClaimReplacedByOneOfTheSameName_FinishesTheOldOneFirst()
    {
        var inFlight = Claim("a");
        Assert.Equal((inFlight, true), InFlightClaims.Choose(Claim("b"), inFlight));
    }

    [Fact]
    public void Choose_ClaimBeingDeleted_IsWorkedOnAsGone()
    {
        var deleting = Claim("a", deleting: true);
        Assert.Equal((deleting, true), InFlightClaims.Choose(deleting, Claim("a")));
        var alive = Claim("a");
        Assert.Equal((alive, false), InFlightClaims.Choose(alive, Claim("a")));
    }

    [Theory]
    [InlineData(StatusCode.DeadlineExceeded, true)]
    [InlineData(StatusCode.Unavailable, true)]
    [InlineData(StatusCode.Aborted, true)]
    [InlineData(StatusCode.InvalidArgument, false)]
    [InlineData(StatusCode.ResourceExhausted, false)]
    [InlineData(StatusCode.Internal, false)]
    public void StaysInFlight_OnlyWhileTheVolumeMayExist(StatusCode code, bool expected)
        => Assert.Equal(expected, InFlightClaims.StaysInFlight(new RpcException(new Status(code, "x")), canReschedule: true));

    [Fact]
    public void StaysInFlight_RequestNeverSent_ChangesNothing()
        => Assert.Null(InFlightClaims.StaysInFlight(new ProvisioningException("secret missing"), canReschedule: false));

    [Fact]
    public void Settle_ForgetsOnlyTheClaimWithThatUid()
    {
        var claims = new InFlightClaims();
        claims.Track("apps/data", Claim("a"));
        claims.Settle("apps/data", "b");
        Assert.Equal("a", claims.Get("apps/data")?.Metadata.Uid);
        claims.Settle("apps/data", "a");
        Assert.Null(claims.Get("apps/data"));
        Assert.Equal(0, claims.Count);
    }
}
