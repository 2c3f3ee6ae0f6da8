namespace LocalVolume.Driver.Volumes;

/// <summary>Why a volume operation was refused, in the CSI spec's terms; the gRPC layer maps each to its code.</summary>
public enum VolumeErrorKind
{
    InvalidArgument,
    NotFound,
    AlreadyExists,
    OutOfRange,
    ResourceExhausted,
    FailedPrecondition,
    Aborted,
    Internal,
}
