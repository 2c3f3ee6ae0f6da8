using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Common;

/// <summary>What to put in a projected service-account token (a TokenRequest, in Kubernetes terms).</summary>
public sealed record ServiceAccountTokenRequest
{
    /// <summary>Namespace of the service account (and of the pod).</summary>
    public required string Namespace { get; init; }

    /// <summary>Service account name.</summary>
    public required string ServiceAccountName { get; init; }

    /// <summary>The <c>aud</c> claim. Kubernetes always writes it as an array.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [ServiceAccountTokenIssuer.DefaultIssuer];

    /// <summary>exp - iat. Kubernetes' minimum is ten minutes, but the sandbox does not enforce it.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Overrides iat/nbf (defaults to the issuer clock's now); use a past instant for expired tokens.</summary>
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary>Pod the token is bound to; defaults to <c>&lt;serviceaccount&gt;-pod</c>.</summary>
    public string? PodName { get; init; }

    /// <summary>Pod UID; defaults to a UUID derived from namespace and pod name.</summary>
    public string? PodUid { get; init; }

    /// <summary>Service account UID; defaults to a UUID derived from namespace and name, so it is stable across tokens.</summary>
    public string? ServiceAccountUid { get; init; }

    /// <summary>Node name (Kubernetes 1.30+ adds <c>kubernetes.io.node</c>); omitted when null.</summary>
    public string? NodeName { get; init; }
}

/// <summary>The claims of a service-account JWT, as Kubernetes writes them.</summary>
public sealed class ServiceAccountTokenClaims
{
    internal ServiceAccountTokenClaims(JsonObject payload)
    {
        Payload = (JsonObject)payload.DeepClone();
        Issuer = CompactJwt.ReadString(payload, "iss");
        Subject = CompactJwt.ReadString(payload, "sub");
        JwtId = CompactJwt.ReadString(payload, "jti");
        Audiences = CompactJwt.ReadAudiences(payload);
        IssuedAt = CompactJwt.ReadNumericDate(payload, "iat");
        NotBefore = CompactJwt.ReadNumericDate(payload, "nbf");
        ExpiresAt = CompactJwt.ReadNumericDate(payload, "exp");

        if (payload["kubernetes.io"] is JsonObject k8s)
        {
            Namespace = CompactJwt.ReadString(k8s, "namespace");
            if (k8s["serviceaccount"] is JsonObject sa)
            {
                ServiceAccountName = CompactJwt.ReadString(sa, "name");
                ServiceAccountUid = CompactJwt.ReadString(sa, "uid");
            }

            if (k8s["pod"] is JsonObject pod)
            {
                PodName = CompactJwt.ReadString(pod, "name");
                PodUid = CompactJwt.ReadString(pod, "uid");
            }
        }
        else
        {
            // Legacy (secret-based) tokens carry flat claims.
            Namespace = CompactJwt.ReadString(payload, "kubernetes.io/serviceaccount/namespace");
            ServiceAccountName = CompactJwt.ReadString(payload, "kubernetes.io/serviceaccount/service-account.name");
            ServiceAccountUid = CompactJwt.ReadString(payload, "kubernetes.io/serviceaccount/service-account.uid");
        }
    }

    public string? Issuer { get; }

    public string? Subject { get; }

    public string? JwtId { get; }

    public IReadOnlyList<string> Audiences { get; }

    public DateTimeOffset? IssuedAt { get; }

    public DateTimeOffset? NotBefore { get; }

    public DateTimeOffset? ExpiresAt { get; }

    public string? Namespace { get; }

    public string? ServiceAccountName { get; }

    public string? ServiceAccountUid { get; }

    public string? PodName { get; }

    public string? PodUid { get; }

    /// <summary>A private copy of the whole claims set, for claims not surfaced above.</summary>
    public JsonObject Payload { get; }

    /// <summary>Resolves an RFC 6901 pointer such as <c>/kubernetes.io/namespace</c> against the claims.</summary>
    public JsonNode? GetClaim(string jsonPointer) => CompactJwt.ResolvePointer(Payload, jsonPointer);
}

/// <summary>Why a token was rejected. Checks run in this order; the first failure wins.</summary>
public enum ServiceAccountTokenFailure
{
    None = 0,

    /// <summary>Not three base64url parts of JSON.</summary>
    Malformed,

    /// <summary>The header's alg is not RS256.</summary>
    UnsupportedAlgorithm,

    /// <summary>The signature does not verify with the issuer's key.</summary>
    BadSignature,

    /// <summary>iss differs from the issuer's.</summary>
    WrongIssuer,

    /// <summary>The expected audience is not in aud.</summary>
    WrongAudience,

    /// <summary>nbf is in the future (beyond the allowed skew).</summary>
    NotYetValid,

    /// <summary>exp is in the past (beyond the allowed skew), or missing.</summary>
    Expired,

    /// <summary>iat is in the future (beyond the allowed skew).</summary>
    IssuedInFuture,
}

/// <summary>The outcome of <see cref="ServiceAccountTokenIssuer.Validate"/>.</summary>
public sealed class ServiceAccountTokenValidationResult
{
    internal ServiceAccountTokenValidationResult(ServiceAccountTokenFailure failure, ServiceAccountTokenClaims? claims, string? error)
    {
        Failure = failure;
        Claims = claims;
        Error = error;
    }

    public bool IsValid => Failure == ServiceAccountTokenFailure.None;

    public ServiceAccountTokenFailure Failure { get; }

    /// <summary>The parsed claims; set whenever the signature verified, even if a later check failed.</summary>
    public ServiceAccountTokenClaims? Claims { get; }

    /// <summary>A human-readable reason; null when valid.</summary>
    public string? Error { get; }

    public override string ToString() => IsValid ? "valid" : $"{Failure}: {Error}";
}
