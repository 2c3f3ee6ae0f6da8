using System.Net;
using Amazon.Runtime;
using Csi.ProviderHost;
using Csi.Providers.Aws.SecretsManager;

namespace Csi.Providers.Aws;

/// <summary>How an AWS failure reads in a mount error, which kind of failure it is, and whether failover may hide it.</summary>
internal static class AwsErrors
{
    private static readonly HashSet<string> AuthenticationCodes = new(StringComparer.Ordinal)
    {
        "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch", "ExpiredTokenException", "ExpiredToken",
        "IncompleteSignature", "InvalidClientTokenId", "MissingAuthenticationToken", "MissingAuthenticationTokenException",
        "InvalidIdentityToken", "InvalidIdentityTokenException", "AuthFailure",
    };

    /// <summary>
    /// A client fault (4xx other than throttling) ends the mount even when another region has the value, as upstream;
    /// throttling, 5xx and network failures in one region are tolerated when the other region answers.
    /// </summary>
    public static bool IsClientFault(Exception failure) =>
        Unwrap(failure) is AmazonServiceException service && (int)service.StatusCode is >= 400 and < 500 && !AwsRetryPolicy.IsThrottling(service);

    public static ProviderErrorKind StatusFor(Exception failure) => Unwrap(failure) switch
    {
        AmazonServiceException s when AwsRetryPolicy.IsThrottling(s) => ProviderErrorKind.ResourceExhausted,
        AmazonServiceException { ErrorCode: "ResourceNotFoundException" or "ParameterNotFound" or "ParameterVersionNotFound" or "InvalidParameters" } => ProviderErrorKind.NotFound,
        AmazonServiceException { ErrorCode: "AccessDeniedException" or "AccessDenied" } => ProviderErrorKind.PermissionDenied,
        AmazonServiceException s when s.ErrorCode is { } code && AuthenticationCodes.Contains(code) => ProviderErrorKind.Unauthenticated,
        AmazonServiceException { StatusCode: HttpStatusCode.Unauthorized } => ProviderErrorKind.Unauthenticated,
        AmazonServiceException { StatusCode: HttpStatusCode.Forbidden } => ProviderErrorKind.PermissionDenied,
        AmazonServiceException { ErrorCode: "InvalidParameterException" or "ValidationException" } => ProviderErrorKind.InvalidArgument,
        AmazonServiceException s when (int)s.StatusCode is >= 400 and < 500 => ProviderErrorKind.FailedPrecondition,
        _ => ProviderErrorKind.Unavailable,
    };

    public static string Code(Exception failure) => Unwrap(failure) switch
    {
        AmazonServiceException { ErrorCode: { Length: > 0 } code } => code,
        AmazonServiceException s => "Http" + ((int)s.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
        TimeoutException or TaskCanceledException => "Timeout",
        _ => "NetworkError",
    };

    /// <summary>One line about the failure: the service's code, message, HTTP status and request id, or the network error.</summary>
    public static string Describe(Exception failure) => Unwrap(failure) switch
    {
        AmazonServiceException s => $"{Code(s)}: {s.Message} (HTTP {(int)s.StatusCode}{(s.RequestId is { Length: > 0 } id ? ", request id " + id : string.Empty)})",
        TimeoutException or TaskCanceledException => "the request timed out",
        var other => $"network error: {other.Message}",
    };

    public static Exception Unwrap(Exception failure) => failure is RegionalFailure { InnerException: { } inner } ? inner : failure;

    /// <summary>What to do about it.</summary>
    public static string Fix(Exception failure, AwsObjectType type, string region)
    {
        var actions = type == AwsObjectType.SecretsManager
            ? "secretsmanager:GetSecretValue and secretsmanager:DescribeSecret"
            : "ssm:GetParameters";
        return StatusFor(failure) switch
        {
            ProviderErrorKind.NotFound => $"check objectName, objectType, objectVersion/objectVersionLabel and that it exists in {region}",
            ProviderErrorKind.PermissionDenied => $"allow the pod's IAM role {actions} (and kms:Decrypt for a customer-managed key) on it",
            ProviderErrorKind.Unauthenticated => "AWS refused the credentials: check the IAM role or Pod Identity association of the pod's service account and the node's clock",
            ProviderErrorKind.ResourceExhausted => "AWS is throttling the account; the driver retries on its next rotation or mount",
            ProviderErrorKind.FailedPrecondition => "the object cannot be read in its current state (e.g. scheduled for deletion, or its KMS key is unusable)",
            ProviderErrorKind.InvalidArgument => "check objectName, objectVersion and objectVersionLabel",
            _ => $"AWS in {region} did not answer; the driver retries, or set failoverRegion",
        };
    }
}
