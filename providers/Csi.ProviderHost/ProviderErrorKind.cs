namespace Csi.ProviderHost;

/// <summary>
/// What kind of failure a mount met, in the provider's own terms; the gRPC service alone turns it into a status code
/// (<see cref="ProviderStatus"/>), so provider code never depends on the wire.
/// </summary>
public enum ProviderErrorKind
{
    /// <summary>Nothing the caller could fix; a defect or an unexpected answer.</summary>
    Internal,

    /// <summary>A SecretProviderClass parameter, attribute or secret is wrong.</summary>
    InvalidArgument,

    /// <summary>The object, version or identity named does not exist.</summary>
    NotFound,

    /// <summary>The identity is known but may not read the object.</summary>
    PermissionDenied,

    /// <summary>The identity could not be proven (bad or expired token, wrong tenant).</summary>
    Unauthenticated,

    /// <summary>The object exists but is not in a state to be read (disabled, wrong type).</summary>
    FailedPrecondition,

    /// <summary>The secret store throttled the provider.</summary>
    ResourceExhausted,

    /// <summary>The secret store or a service on the way could not be reached; trying again may work.</summary>
    Unavailable,

    /// <summary>A call took longer than allowed.</summary>
    DeadlineExceeded,

    /// <summary>The driver cancelled the mount (its deadline, or shutdown).</summary>
    Cancelled,
}
