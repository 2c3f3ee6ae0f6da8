using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Common;

/// <summary>
/// A JWS in compact serialization (<c>header.payload.signature</c>), parsed but not trusted.
/// Only what the sandboxes need: RS256 signing and verification with RSA keys.
/// </summary>
public sealed class CompactJwt
{
    private readonly byte[] _signature;

    private CompactJwt(JsonObject header, JsonObject payload, string signingInput, byte[] signature)
    {
        Header = header;
        Payload = payload;
        SigningInput = signingInput;
        _signature = signature;
    }

    /// <summary>The decoded JOSE header.</summary>
    public JsonObject Header { get; }

    /// <summary>The decoded claims set.</summary>
    public JsonObject Payload { get; }

    /// <summary>The ASCII <c>header.payload</c> the signature covers.</summary>
    public string SigningInput { get; }

    /// <summary>The raw signature bytes.</summary>
    public ReadOnlyMemory<byte> Signature => _signature;

    /// <summary>The <c>alg</c> header, or an empty string.</summary>
    public string Algorithm => ReadString(Header, "alg") ?? string.Empty;

    /// <summary>The <c>kid</c> header, when present.</summary>
    public string? KeyId => ReadString(Header, "kid");

    /// <summary>Parses a compact JWS. Nothing is verified.</summary>
    public static bool TryParse(string? token, [NotNullWhen(true)] out CompactJwt? jwt, [NotNullWhen(false)] out string? error)
    {
        jwt = null;
        if (string.IsNullOrWhiteSpace(token))
        {
            error = "token is empty";
            return false;
        }

        var parts = token.Trim().Split('.');
        if (parts.Length != 3)
        {
            error = "compact JWS format must have three parts";
            return false;
        }

        if (!TryDecodeObject(parts[0], out var header) || !TryDecodeObject(parts[1], out var payload))
        {
            error = "header or payload is not base64url-encoded JSON";
            return false;
        }

        if (!Base64Url.IsValid(parts[2]))
        {
            error = "signature is not base64url-encoded";
            return false;
        }

        jwt = new CompactJwt(header, payload, parts[0] + "." + parts[1], Base64Url.DecodeFromChars(parts[2]));
        error = null;
        return true;
    }

    /// <summary>Signs <paramref name="payload"/> with RS256; <c>alg</c> and <c>typ</c> are set on a copy of the header.</summary>
    public static string SignRs256(JsonObject header, JsonObject payload, RSA privateKey)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(privateKey);

        var h = (JsonObject)header.DeepClone();
        h["alg"] = "RS256";
        var signingInput = Encode(h) + "." + Encode(payload);
        var signature = privateKey.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>True when the header says RS256 and the signature verifies with <paramref name="publicKey"/>.</summary>
    public bool VerifyRs256(RSA publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (!string.Equals(Algorithm, "RS256", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            return publicKey.VerifyData(Encoding.ASCII.GetBytes(SigningInput), _signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Reads a string claim or header value; null when absent or not a string.</summary>
    public static string? ReadString(JsonObject obj, string name)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    }

    /// <summary>Reads a NumericDate claim (seconds since the epoch); null when absent or not a number.</summary>
    public static DateTimeOffset? ReadNumericDate(JsonObject obj, string name)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj[name] is not JsonValue v)
        {
            return null;
        }

        if (v.TryGetValue<long>(out var l))
        {
            return DateTimeOffset.FromUnixTimeSeconds(l);
        }

        if (v.TryGetValue<double>(out var d) && !double.IsNaN(d) && !double.IsInfinity(d))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)(d * 1000));
        }

        return null;
    }

    /// <summary>Reads <c>aud</c>, which RFC 7519 allows as a string or an array of strings.</summary>
    public static IReadOnlyList<string> ReadAudiences(JsonObject payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return payload["aud"] switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => [s],
            JsonArray a => a.OfType<JsonValue>().Select(x => x.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToArray(),
            _ => [],
        };
    }

    /// <summary>Resolves an RFC 6901 JSON pointer (<c>/kubernetes.io/namespace</c>) against <paramref name="root"/>.</summary>
    public static JsonNode? ResolvePointer(JsonNode? root, string jsonPointer)
    {
        ArgumentNullException.ThrowIfNull(jsonPointer);
        if (jsonPointer.Length == 0)
        {
            return root;
        }

        if (!jsonPointer.StartsWith('/'))
        {
            return root is JsonObject o ? o[jsonPointer] : null;
        }

        var current = root;
        foreach (var raw in jsonPointer[1..].Split('/'))
        {
            var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            current = current switch
            {
                JsonObject o => o[segment],
                JsonArray a when int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    private static string Encode(JsonObject obj) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(obj.ToJsonString()));

    private static bool TryDecodeObject(string part, [NotNullWhen(true)] out JsonObject? obj)
    {
        obj = null;
        if (part.Length == 0 || !Base64Url.IsValid(part))
        {
            return false;
        }

        try
        {
            obj = JsonNode.Parse(Base64Url.DecodeFromChars(part)) as JsonObject;
            return obj is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
