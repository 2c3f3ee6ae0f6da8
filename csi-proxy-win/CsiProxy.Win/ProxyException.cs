namespace CsiProxy.Win;

/// <summary>
/// A refusal or failure of an API group call. Messages name the request field at fault and never carry a
/// credential: they travel to the caller and into logs.
/// </summary>
public sealed class ProxyException : Exception
{
    public ProxyException()
        : this(ProxyErrorCode.Internal, "csi-proxy call failed")
    {
    }

    public ProxyException(string message)
        : this(ProxyErrorCode.Internal, message)
    {
    }

    public ProxyException(string message, Exception innerException)
        : this(ProxyErrorCode.Internal, message, innerException)
    {
    }

    public ProxyException(ProxyErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public ProxyErrorCode Code { get; }

    /// <summary>A request field that breaks a rule: "<paramref name="field"/>: <paramref name="reason"/>".</summary>
    public static ProxyException InvalidField(string field, string reason)
        => new(ProxyErrorCode.InvalidArgument, $"{field}: {reason}");
}
