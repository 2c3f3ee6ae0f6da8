namespace CsiProxy.Win;

/// <summary>Why an API group refused or failed a call; the gRPC layer maps each to the status code of the same name.</summary>
public enum ProxyErrorCode
{
    InvalidArgument,
    NotFound,
    AlreadyExists,
    FailedPrecondition,
    Internal,
    /// <summary>The proxy could not be reached (its pipe is missing or closed).</summary>
    Unavailable,
}
