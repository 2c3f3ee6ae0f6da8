using System.Text;
using System.Text.Json;
using Csi.ProviderHost;

namespace Csi.Providers.Vault;

/// <summary>
/// Turns a Vault response into an object's file content as upstream does: the whole envelope as JSON without a
/// secretKey; otherwise the key's value from data.data (KV v2) or data, strings raw and anything else as JSON,
/// then decoded per encoding. Errors name the object, path and key, never a value.
/// </summary>
internal static class VaultSecretContent
{
    public const string Utf8 = "utf-8";
    public const string Base64 = "base64";
    public const string Hex = "hex";

    public static bool IsSupportedEncoding(string encoding) =>
        encoding.Length == 0 || encoding.Equals(Utf8, StringComparison.OrdinalIgnoreCase)
        || encoding.Equals(Base64, StringComparison.OrdinalIgnoreCase) || encoding.Equals(Hex, StringComparison.OrdinalIgnoreCase);

    /// <summary>The data map the response must carry; upstream fails with "empty response" without one.</summary>
    public static JsonElement RequireData(VaultSecretResponse? secret, VaultRequest request, IEnumerable<string> objectNames)
    {
        if (secret?.Data is not { ValueKind: JsonValueKind.Object } data)
        {
            var warnings = secret?.Warnings is { ValueKind: JsonValueKind.Array } list
                ? string.Join("; ", list.EnumerateArray().Where(w => w.ValueKind == JsonValueKind.String).Select(w => VaultErrors.Clean(w.GetString()!)))
                : string.Empty;
            throw new ProviderException(ProviderErrorKind.NotFound, "EmptyResponse",
                $"{VaultErrors.Objects(objectNames)}: empty response from \"{request.DisplayPath}\", warnings: [{warnings}]; "
                + "Vault returned no data there: check secretPath (KV v2 reads go through <mount>/data/<path>) and method");
        }
        return data;
    }

    public static byte[] Extract(VaultSecretResponse secret, VaultObject secretObject)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(secretObject);
        var data = RequireData(secret, secretObject.Request, [secretObject.ObjectName]);
        if (secretObject.SecretKey is null)
        {
            return GoJson.MarshalSecret(secret);
        }

        // Upstream's keyFromData: descend into data.data when it is a map (KV v2).
        var values = data.TryGetProperty("data", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : data;
        if (!TryGetLast(values, secretObject.SecretKey, out var value))
        {
            var count = values.EnumerateObject().Select(p => p.Name).Distinct(StringComparer.Ordinal).Count();
            throw new ProviderException(ProviderErrorKind.NotFound, "SecretKeyNotFound",
                $"object \"{secretObject.ObjectName}\": {{{secretObject.Request.DisplayPath}}}: {{key \"{secretObject.SecretKey}\" does not exist at the secret path}}; "
                + $"the secret there has {count} key{(count == 1 ? string.Empty : "s")}: check secretKey (keys are case-sensitive), or leave it out to write the whole response as JSON");
        }

        var raw = value.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(value.GetString()!) : GoJson.Marshal(value);
        return Decode(raw, secretObject);
    }

    private static byte[] Decode(byte[] raw, VaultObject secretObject)
    {
        var encoding = secretObject.Encoding;
        if (encoding.Length == 0 || encoding.Equals(Utf8, StringComparison.OrdinalIgnoreCase))
        {
            return raw;
        }
        var text = Encoding.UTF8.GetString(raw);
        try
        {
            if (encoding.Equals(Base64, StringComparison.OrdinalIgnoreCase))
            {
                return Convert.FromBase64String(text);
            }
            if (encoding.Equals(Hex, StringComparison.OrdinalIgnoreCase))
            {
                return Convert.FromHexString(text);
            }
        }
        catch (FormatException)
        {
            throw new ProviderException(ProviderErrorKind.InvalidArgument, "InvalidEncoding",
                $"object \"{secretObject.ObjectName}\": {{{secretObject.Request.DisplayPath}}}: the value of key \"{secretObject.SecretKey}\" is not valid {encoding.ToLowerInvariant()}; "
                + "set encoding to the one the value is stored in (utf-8, base64 or hex), or leave it out to write the value as it is");
        }
        throw ProviderException.InvalidParameter($"object \"{secretObject.ObjectName}\": encoding \"{encoding}\": invalid encoding type. Should be utf-8, base64, or hex");
    }

    private static bool TryGetLast(JsonElement map, string key, out JsonElement value)
    {
        // A Go map keeps the last of duplicate keys.
        var found = false;
        value = default;
        foreach (var property in map.EnumerateObject())
        {
            if (property.NameEquals(key))
            {
                value = property.Value;
                found = true;
            }
        }
        return found;
    }
}
