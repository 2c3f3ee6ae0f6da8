namespace Csi.Provisioner.Provisioning;

/// <summary>How a failed CreateVolume is handled, as upstream classifies it.</summary>
public enum FailureKind
{
    /// <summary>The call may still be running or may have created the volume: repeat the same request with backoff.</summary>
    InBackground,

    /// <summary>The selected node cannot hold the volume: remove volume.kubernetes.io/selected-node so the scheduler picks again.</summary>
    Reschedule,

    /// <summary>The driver refused the request itself (INVALID_ARGUMENT): retried only after --retry-interval-max or a class change.</summary>
    Infeasible,

    /// <summary>Failed for this attempt: retried with backoff.</summary>
    Final,
}
