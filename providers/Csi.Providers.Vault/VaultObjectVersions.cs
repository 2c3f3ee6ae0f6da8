using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Csi.Providers.Vault;

/// <summary>
/// Object versions: the KV v2 metadata version when the response has one; otherwise, as upstream, an
/// HMAC-SHA256 of the object's configuration and content under a key that never leaves the process, so a
/// version changes with the content and reveals nothing about it.
/// </summary>
internal sealed class VaultObjectVersions
{
    public const int KeyLength = 32;

    // Drawn on the first HMAC, not at start: the random source loads OpenSSL (about 4 MiB resident), which a
    // provider that has mounted nothing, or reads only KV v2 versions, never needs.
    private readonly Lazy<byte[]> _key;

    public VaultObjectVersions(byte[]? key = null)
    {
        _key = key is null ? new Lazy<byte[]>(() => RandomNumberGenerator.GetBytes(KeyLength)) : new Lazy<byte[]>(key);
    }

    public string For(VaultObject secretObject, VaultSecretResponse? response, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(secretObject);
        if (KvVersion(response) is { } version)
        {
            return version.ToString(CultureInfo.InvariantCulture);
        }
        if (secretObject.SecretKey is null && response is not null)
        {
            // The whole envelope carries a request_id that differs on every read: leave it out, so the version
            // changes when the secret does, not on every rotation poll.
            return Hmac(secretObject, GoJson.MarshalSecret(response.WithoutRequestId()));
        }
        return Hmac(secretObject, content);
    }

    /// <summary>data.metadata.version of a KV v2 read (data holds data and metadata); null otherwise.</summary>
    public static long? KvVersion(VaultSecretResponse? response)
    {
        if (response?.Data is { ValueKind: JsonValueKind.Object } data
            && data.TryGetProperty("data", out _)
            && data.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.Number
            && version.TryGetInt64(out var number) && number > 0)
        {
            return number;
        }
        return null;
    }

    /// <summary>base64url(HMAC-SHA256(key, JSON(object configuration) ‖ content)), as upstream's generateObjectVersion.</summary>
    public string Hmac(VaultObject secretObject, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(secretObject);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key.Value);
        hmac.AppendData(Configuration(secretObject));
        hmac.AppendData(content);
        return Convert.ToBase64String(hmac.GetHashAndReset()).Replace('+', '-').Replace('/', '_');
    }

    // The configuration goes in so that equal contents of different objects get different versions.
    private static byte[] Configuration(VaultObject secretObject)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("objectName", secretObject.ObjectName);
            writer.WriteString("secretPath", secretObject.SecretPath);
            writer.WriteString("secretKey", secretObject.SecretKey ?? string.Empty);
            writer.WriteString("method", secretObject.Method);
            writer.WritePropertyName("secretArgs");
            if (secretObject.SecretArgs is { } args)
            {
                writer.WriteRawValue(args, skipInputValidation: true);
            }
            else
            {
                writer.WriteNullValue();
            }
            writer.WriteNumber("filePermission", secretObject.FilePermission ?? 0);
            writer.WriteString("encoding", secretObject.Encoding);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
