namespace Csi.Providers.Vault;

/// <summary>
/// A failed request to Vault, after retries. The message holds the status and Vault's error strings, cleaned of
/// tokens; never a request or response body.
/// </summary>
internal sealed class VaultRequestException : Exception
{
    public VaultRequestException(VaultFailure failure, int statusCode, IReadOnlyList<string> errors, string detail, Exception? innerException = null)
        : base(detail, innerException)
    {
        Failure = failure;
        StatusCode = statusCode;
        Errors = errors;
    }

    public VaultRequestException()
        : this(VaultFailure.BadResponse, 0, [], "Vault request failed")
    {
    }

    public VaultRequestException(string message)
        : this(VaultFailure.BadResponse, 0, [], message)
    {
    }

    public VaultRequestException(string message, Exception innerException)
        : this(VaultFailure.BadResponse, 0, [], message, innerException)
    {
    }

    public VaultFailure Failure { get; }

    /// <summary>The HTTP status, or 0 when there was none.</summary>
    public int StatusCode { get; }

    /// <summary>Vault's "errors", cleaned.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>"HTTP 403: permission denied", or the failure's own words.</summary>
    public string Reason => Failure == VaultFailure.Status
        ? $"HTTP {StatusCode}" + (Errors.Count > 0 ? ": " + string.Join("; ", Errors) : string.Empty)
        : Message;
}
