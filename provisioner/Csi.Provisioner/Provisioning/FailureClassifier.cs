using Grpc.Core;

namespace Csi.Provisioner.Provisioning;

/// <summary>Upstream's classification of a failed CreateVolume.</summary>
public static class FailureClassifier
{
    /// <param name="error">the exception CreateVolume ended with.</param>
    /// <param name="canReschedule">the claim has a selected node and the driver takes topology.</param>
    public static FailureKind Classify(Exception error, bool canReschedule)
    {
        if (error is not RpcException rpc)
        {
            return error is ProvisioningException ? FailureKind.Final : FailureKind.InBackground;
        }
        return rpc.StatusCode switch
        {
            StatusCode.DeadlineExceeded or StatusCode.Unavailable or StatusCode.Cancelled or StatusCode.Aborted => FailureKind.InBackground,
            StatusCode.ResourceExhausted when canReschedule => FailureKind.Reschedule,
            StatusCode.InvalidArgument => FailureKind.Infeasible,
            _ => FailureKind.Final,
        };
    }
}
