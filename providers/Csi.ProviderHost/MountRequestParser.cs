using System.Globalization;
using System.Text.Json;
using Csi.Common;
using SecretsStore.Provider.V1Alpha1;

namespace Csi.ProviderHost;

/// <summary>Turns the driver's MountRequest (JSON strings) into a <see cref="MountContext"/>, naming whatever is malformed.</summary>
public static class MountRequestParser
{

    public static MountContext Parse(MountRequest request, int maxConcurrency = 10, string provider = "", ProviderMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var attributes = ParseStringMap(request.Attributes, "attributes");
        var secrets = ParseStringMap(request.Secrets, "secrets");
        var mode = ParsePermission(request.Permission);

        var tokensJson = attributes.GetValueOrDefault(VolumeContextKeys.ServiceAccountTokens) ?? secrets.GetValueOrDefault(VolumeContextKeys.ServiceAccountTokens);
        var tokens = string.IsNullOrEmpty(tokensJson) ? new Dictionary<string, ServiceAccountToken>(StringComparer.Ordinal) : ParseTokens(tokensJson);

        var pod = new PodInfo(
            attributes.GetValueOrDefault(VolumeContextKeys.PodName, string.Empty),
            attributes.GetValueOrDefault(VolumeContextKeys.PodNamespace, string.Empty),
            attributes.GetValueOrDefault(VolumeContextKeys.PodUid, string.Empty),
            attributes.GetValueOrDefault(VolumeContextKeys.ServiceAccountName, string.Empty));

        var current = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var version in request.CurrentObjectVersion)
        {
            current[version.Id] = version.Version;
        }
        return new MountContext(attributes, secrets, request.TargetPath, mode, pod, tokens, current, maxConcurrency, provider, metrics);
    }

    private static Dictionary<string, string> ParseStringMap(string json, string field)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json))
        {
            return map;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ProviderException.InvalidParameter($"{field}: must be a JSON object of strings");
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    throw ProviderException.InvalidParameter($"{field}.{property.Name}: must be a string");
                }
                map[property.Name] = property.Value.GetString()!;
            }
        }
        catch (JsonException e)
        {
            throw new ProviderException(ProviderErrorKind.InvalidArgument, "InvalidParameter", $"{field}: not valid JSON at byte {e.BytePositionInLine}", e);
        }
        return map;
    }

    private static int ParsePermission(string permission)
    {
        if (string.IsNullOrWhiteSpace(permission))
        {
            return 420; // 0644, what the driver sends
        }
        if (!int.TryParse(permission, NumberStyles.None, CultureInfo.InvariantCulture, out var mode) || mode > 511)
        {
            throw ProviderException.InvalidParameter($"permission: \"{permission}\" is not a file mode in decimal (0-511, e.g. 420 for 0644)");
        }
        return mode;
    }

    private static Dictionary<string, ServiceAccountToken> ParseTokens(string json)
    {
        var tokens = new Dictionary<string, ServiceAccountToken>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ProviderException.InvalidParameter($"{VolumeContextKeys.ServiceAccountTokens}: must be a JSON object of audience to {{token, expirationTimestamp}}");
            }
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Object
                    || !entry.Value.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String)
                {
                    throw ProviderException.InvalidParameter($"{VolumeContextKeys.ServiceAccountTokens}: audience \"{entry.Name}\" has no token");
                }
                DateTimeOffset? expires = null;
                if (entry.Value.TryGetProperty("expirationTimestamp", out var expiry) && expiry.ValueKind == JsonValueKind.String)
                {
                    if (!DateTimeOffset.TryParse(expiry.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                    {
                        throw ProviderException.InvalidParameter($"{VolumeContextKeys.ServiceAccountTokens}: audience \"{entry.Name}\" has an expirationTimestamp that is not RFC 3339");
                    }
                    expires = parsed;
                }
                tokens[entry.Name] = new ServiceAccountToken(entry.Name, token.GetString()!, expires);
            }
        }
        catch (JsonException e)
        {
            // The message must not echo the JSON: it holds tokens.
            throw new ProviderException(ProviderErrorKind.InvalidArgument, "InvalidParameter", $"{VolumeContextKeys.ServiceAccountTokens}: not valid JSON", e);
        }
        return tokens;
    }
}
