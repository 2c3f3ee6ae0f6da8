using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;
using Amazon.Util;

namespace Csi.Providers.Aws.SecretsManager;

/// <summary>
/// Signature Version 4 for a request without a query string: the canonical request is built here (AWSSDK.Core keeps
/// its canonicalisation internal); hashing, key derivation and the signature are AWSSDK.Core's.
/// </summary>
internal static class SigV4Signer
{
    /// <summary>
    /// Adds X-Amz-Date, X-Amz-Security-Token (session credentials) and Authorization to <paramref name="headers"/>,
    /// which must already hold every other header to sign (host, content-type, x-amz-target).
    /// </summary>
    public static void Sign(
        IDictionary<string, string> headers,
        Uri endpoint,
        string method,
        byte[] body,
        ImmutableCredentials credentials,
        string region,
        string service,
        DateTime signedAtUtc)
    {
        headers["X-Amz-Date"] = signedAtUtc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        if (credentials.UseToken)
        {
            headers["X-Amz-Security-Token"] = credentials.Token;
        }
        var canonical = CanonicalRequest(headers, endpoint, method, body, out var signedHeaders);
        var result = AWS4Signer.ComputeSignature(credentials, region, signedAtUtc, service, signedHeaders, canonical);
        headers["Authorization"] = result.ForAuthorizationHeader;
    }

    /// <summary>method, path, (empty) query, lower-case sorted headers with trimmed values, signed header list, body hash.</summary>
    internal static string CanonicalRequest(IDictionary<string, string> headers, Uri endpoint, string method, byte[] body, out string signedHeaders)
    {
        var sorted = headers
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(' ', h.Value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        signedHeaders = string.Join(';', sorted.Select(h => h.Name));
        var path = endpoint.AbsolutePath.Length == 0 ? "/" : endpoint.AbsolutePath;
        var canonical = new StringBuilder()
            .Append(method).Append('\n')
            .Append(path).Append('\n')
            .Append('\n');
        foreach (var (name, value) in sorted)
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }
        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(AWSSDKUtils.ToHex(AWS4Signer.ComputeHash(body), true));
        return canonical.ToString();
    }
}
