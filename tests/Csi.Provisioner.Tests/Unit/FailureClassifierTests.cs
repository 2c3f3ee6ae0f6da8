using Csi.Provisioner.Provisioning;
using Grpc.Core;

namespace Csi.Provisioner.Tests.Unit;

public class FailureClassifierTests
{
    [Theory]
    [InlineData(StatusCode.DeadlineExceeded, true, FailureKind.InBackground)]
    [InlineData(StatusCode.Unavailable, false, FailureKind.InBackground)]
    [InlineData(StatusCode.Cancelled, false, FailureKind.InBackground)]
    [InlineData(StatusCode.Aborted, false, FailureKind.InBackground)]
    [InlineData(StatusCode.ResourceExhausted, true, FailureKind.Reschedule)]
    [InlineData(StatusCode.ResourceExhausted, false, FailureKind.Final)]
    [InlineData(StatusCode.InvalidArgument, true, FailureKind.Infeasible)]
    [InlineData(StatusCode.Internal, false, FailureKind.Final)]
    [InlineData(StatusCode.AlreadyExists, false, FailureKind.Final)]
    public void Classify_FollowsUpstream(StatusCode code, bool canReschedule, FailureKind expected)
        => Assert.Equal(expected, FailureClassifier.Classify(new RpcException(new Status(code, "x")), canReschedule));

    [Fact]
    public void Classify_ProvisioningException_IsFinal() => Assert.Equal(FailureKind.Final, FailureClassifier.Classify(new ProvisioningException("bad"), true));

    [Fact]
    public void Classify_AnythingElse_MayHaveCreatedTheVolume() => Assert.Equal(FailureKind.InBackground, FailureClassifier.Classify(new IOException("reset"), false));
}
