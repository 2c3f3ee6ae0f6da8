namespace Csi.ProviderHost;

/// <summary>
/// A mount a provider cannot do. <see cref="ErrorCode"/> is a short stable code (e.g. "InvalidParameter",
/// "PermissionDenied"); the message says what to fix and never contains a secret or a token.
/// </summary>
public sealed class ProviderException : Exception
{
    public ProviderException(ProviderErrorKind kind, string errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        ErrorCode = errorCode;
    }

    public ProviderException()
    {
        ErrorCode = string.Empty;
    }

    public ProviderException(string message)
        : base(message)
    {
        ErrorCode = string.Empty;
    }

    public ProviderException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = string.Empty;
    }

    public ProviderErrorKind Kind { get; } = ProviderErrorKind.Internal;

    public string ErrorCode { get; }

    /// <summary>A SecretProviderClass parameter is wrong: the message names it and the fix.</summary>
    public static ProviderException InvalidParameter(string message) => new(ProviderErrorKind.InvalidArgument, "InvalidParameter", message);
}
