using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Common;

/// <summary>
/// Plays the Kubernetes API server's token signer: mints projected service-account JWTs (RS256, a 2048-bit
/// RSA key generated in memory) with the claims Kubernetes writes, and validates them the way a relying party
/// holding the public key would.
/// </summary>
public sealed class ServiceAccountTokenIssuer : IDisposable
{
    /// <summary>The issuer (and default audience) of a stock cluster.</summary>
    public const string DefaultIssuer = "https://kubernetes.default.svc.cluster.local";

    private readonly RSA _key;
    private readonly RSA _publicKey;

    // RSA instances are not documented as thread-safe; sandboxes verify while tests mint.
    private readonly Lock _keyGate = new();

    public ServiceAccountTokenIssuer(string issuer = DefaultIssuer, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        Issuer = issuer;
        TimeProvider = timeProvider ?? TimeProvider.System;
        _key = RSA.Create(2048);
        _publicKey = RSA.Create(_key.ExportParameters(includePrivateParameters: false));

        // Kubernetes derives kid from the SHA-256 of the DER-encoded public key.
        KeyId = Base64Url.EncodeToString(SHA256.HashData(_key.ExportSubjectPublicKeyInfo()));
        PublicKeyPem = _key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>The <c>iss</c> claim written into every token.</summary>
    public string Issuer { get; }

    /// <summary>The <c>kid</c> header written into every token.</summary>
    public string KeyId { get; }

    /// <summary>The clock used for iat/nbf/exp when minting and for validation by default.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The public key as a PEM <c>PUBLIC KEY</c> (SubjectPublicKeyInfo) block.</summary>
    public string PublicKeyPem { get; }

    /// <summary>The public key as a JWK (<c>kty</c>, <c>alg</c>, <c>use</c>, <c>kid</c>, <c>n</c>, <c>e</c>); a fresh object each call.</summary>
    public JsonObject GetPublicJwk()
    {
        RSAParameters p;
        lock (_keyGate)
        {
            p = _publicKey.ExportParameters(includePrivateParameters: false);
        }

        return new JsonObject
        {
            ["use"] = "sig",
            ["kty"] = "RSA",
            ["kid"] = KeyId,
            ["alg"] = "RS256",
            ["n"] = Base64Url.EncodeToString(p.Modulus),
            ["e"] = Base64Url.EncodeToString(p.Exponent),
        };
    }

    /// <summary>A JWKS document (<c>{"keys":[...]}</c>) holding the public key, as the API server serves at <c>/openid/v1/jwks</c>.</summary>
    public string GetJwksJson() => new JsonObject { ["keys"] = new JsonArray(GetPublicJwk()) }.ToJsonString();

    /// <summary>Mints a token for <paramref name="serviceAccountName"/> in <paramref name="namespace"/> with one audience.</summary>
    public string Mint(string @namespace, string serviceAccountName, string audience, TimeSpan? lifetime = null) =>
        Mint(new ServiceAccountTokenRequest
        {
            Namespace = @namespace,
            ServiceAccountName = serviceAccountName,
            Audiences = [audience],
            Lifetime = lifetime ?? TimeSpan.FromHours(1),
        });

    /// <summary>Mints a projected service-account token.</summary>
    public string Mint(ServiceAccountTokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Namespace);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ServiceAccountName);

        var issuedAt = request.IssuedAt ?? TimeProvider.GetUtcNow();
        var iat = issuedAt.ToUnixTimeSeconds();
        var exp = issuedAt.Add(request.Lifetime).ToUnixTimeSeconds();
        var podName = request.PodName ?? request.ServiceAccountName + "-pod";

        var k8s = new JsonObject
        {
            ["namespace"] = request.Namespace,
        };
        if (request.NodeName is not null)
        {
            k8s["node"] = new JsonObject
            {
                ["name"] = request.NodeName,
                ["uid"] = StableUid("node", request.NodeName),
            };
        }

        k8s["pod"] = new JsonObject
        {
            ["name"] = podName,
            ["uid"] = request.PodUid ?? StableUid("pod", request.Namespace, podName),
        };
        k8s["serviceaccount"] = new JsonObject
        {
            ["name"] = request.ServiceAccountName,
            ["uid"] = request.ServiceAccountUid ?? StableUid("serviceaccount", request.Namespace, request.ServiceAccountName),
        };

        var audiences = new JsonArray();
        foreach (var a in request.Audiences)
        {
            audiences.Add(a);
        }

        var payload = new JsonObject
        {
            ["aud"] = audiences,
            ["exp"] = exp,
            ["iat"] = iat,
            ["iss"] = Issuer,
            ["jti"] = Guid.NewGuid().ToString(),
            ["kubernetes.io"] = k8s,
            ["nbf"] = iat,
            ["sub"] = $"system:serviceaccount:{request.Namespace}:{request.ServiceAccountName}",
        };

        return Sign(payload);
    }

    /// <summary>Signs an arbitrary claims set with the issuer's key (for tokens Kubernetes would never mint).</summary>
    public string SignClaims(JsonObject payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return Sign(payload);
    }

    /// <summary>True when <paramref name="jwt"/> parses and its RS256 signature verifies with this issuer's key.</summary>
    public bool VerifySignature(string jwt) =>
        CompactJwt.TryParse(jwt, out var parsed, out _) && Verify(parsed);

    /// <summary>
    /// Validates a token: structure, algorithm, signature, issuer, audience (skipped when
    /// <paramref name="expectedAudience"/> is null or empty), then nbf/exp/iat against the clock with
    /// <paramref name="clockSkew"/> of leeway.
    /// </summary>
    public ServiceAccountTokenValidationResult Validate(string jwt, string? expectedAudience, TimeProvider? timeProvider = null, TimeSpan clockSkew = default)
    {
        if (!CompactJwt.TryParse(jwt, out var parsed, out var parseError))
        {
            return Fail(ServiceAccountTokenFailure.Malformed, null, parseError);
        }

        if (!string.Equals(parsed.Algorithm, "RS256", StringComparison.Ordinal))
        {
            return Fail(ServiceAccountTokenFailure.UnsupportedAlgorithm, null, $"token signed with unexpected algorithm \"{parsed.Algorithm}\"");
        }

        if (!Verify(parsed))
        {
            return Fail(ServiceAccountTokenFailure.BadSignature, null, "signature does not verify with the issuer's key");
        }

        var claims = new ServiceAccountTokenClaims(parsed.Payload);
        if (!string.Equals(claims.Issuer, Issuer, StringComparison.Ordinal))
        {
            return Fail(ServiceAccountTokenFailure.WrongIssuer, claims, $"issuer \"{claims.Issuer}\" is not \"{Issuer}\"");
        }

        if (!string.IsNullOrEmpty(expectedAudience) && !claims.Audiences.Contains(expectedAudience, StringComparer.Ordinal))
        {
            return Fail(ServiceAccountTokenFailure.WrongAudience, claims, $"audience \"{expectedAudience}\" is not among the token's audiences");
        }

        var now = (timeProvider ?? TimeProvider).GetUtcNow();
        var skew = clockSkew < TimeSpan.Zero ? TimeSpan.Zero : clockSkew;
        if (claims.NotBefore is { } nbf && now + skew < nbf)
        {
            return Fail(ServiceAccountTokenFailure.NotYetValid, claims, "token not yet valid");
        }

        if (claims.ExpiresAt is not { } exp || now - skew > exp)
        {
            return Fail(ServiceAccountTokenFailure.Expired, claims, "token is expired");
        }

        if (claims.IssuedAt is { } iat && now + skew < iat)
        {
            return Fail(ServiceAccountTokenFailure.IssuedInFuture, claims, "token issued in the future");
        }

        return new ServiceAccountTokenValidationResult(ServiceAccountTokenFailure.None, claims, null);
    }

    /// <summary>Reads the claims of a token without checking anything. Null when it does not parse.</summary>
    public static ServiceAccountTokenClaims? ReadClaimsUnverified(string jwt) =>
        CompactJwt.TryParse(jwt, out var parsed, out _) ? new ServiceAccountTokenClaims(parsed.Payload) : null;

    public void Dispose()
    {
        _key.Dispose();
        _publicKey.Dispose();
    }

    private string Sign(JsonObject payload)
    {
        lock (_keyGate)
        {
            return CompactJwt.SignRs256(new JsonObject { ["kid"] = KeyId }, payload, _key);
        }
    }

    private bool Verify(CompactJwt parsed)
    {
        lock (_keyGate)
        {
            return parsed.VerifyRs256(_publicKey);
        }
    }

    private static ServiceAccountTokenValidationResult Fail(ServiceAccountTokenFailure failure, ServiceAccountTokenClaims? claims, string? error) =>
        new(failure, claims, error);

    private static string StableUid(params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50); // version 5-style
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
