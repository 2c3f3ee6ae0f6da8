using Grpc.Core;

namespace SecretsStore.Driver.Publishing;

/// <summary>
/// A publish or unpublish that failed for a reason the user can act on. The message says what to fix
/// and never carries secret material.
/// </summary>
public sealed class SecretsStoreException : Exception
{
    public SecretsStoreException(ErrorReason reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        MetricErrorType = reason.ToString();
    }

    public SecretsStoreException()
    {
    }

    public SecretsStoreException(string message)
        : base(message)
    {
    }

    public SecretsStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ErrorReason Reason { get; }

    /// <summary>The status code the provider answered with, when the provider call itself failed.</summary>
    public StatusCode? ProviderStatus { get; init; }

    /// <summary>The error_type label: the reason, or the provider's own error code.</summary>
    public string MetricErrorType { get; init; } = string.Empty;
}
