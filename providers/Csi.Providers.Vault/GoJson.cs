using System.Globalization;
using System.Text;
using System.Text.Json;
using Csi.ProviderHost.Json;

namespace Csi.Providers.Vault;

/// <summary>
/// JSON as Go's encoding/json writes it, so files hold the bytes upstream writes: object keys sorted, numbers as
/// Vault sent them (the Go client decodes with UseNumber), &lt; &gt; &amp; U+2028 U+2029 escaped, other
/// non-ASCII text raw.
/// </summary>
internal static class GoJson
{
    /// <summary>json.Marshal of one decoded value.</summary>
    public static byte[] Marshal(JsonElement value)
    {
        var builder = new StringBuilder();
        Write(builder, value);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    /// <summary>json.Marshal(*api.Secret): the envelope fields in the struct's order, optional ones omitted when empty.</summary>
    public static byte[] MarshalSecret(VaultSecretResponse secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var builder = new StringBuilder();
        builder.Append("{\"request_id\":");
        WriteString(builder, secret.RequestId ?? string.Empty);
        builder.Append(",\"lease_id\":");
        WriteString(builder, secret.LeaseId ?? string.Empty);
        builder.Append(",\"lease_duration\":").Append(secret.LeaseDuration.ToString(CultureInfo.InvariantCulture));
        builder.Append(",\"renewable\":").Append(secret.Renewable ? "true" : "false");
        builder.Append(",\"data\":");
        WriteOrNull(builder, secret.Data);
        builder.Append(",\"warnings\":");
        WriteOrNull(builder, secret.Warnings);
        if (secret.Auth is { ValueKind: not JsonValueKind.Null } auth)
        {
            builder.Append(",\"auth\":");
            Write(builder, auth);
        }
        if (secret.WrapInfo is { ValueKind: not JsonValueKind.Null } wrap)
        {
            builder.Append(",\"wrap_info\":");
            Write(builder, wrap);
        }
        if (!string.IsNullOrEmpty(secret.MountType))
        {
            builder.Append(",\"mount_type\":");
            WriteString(builder, secret.MountType);
        }
        builder.Append('}');
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static void WriteOrNull(StringBuilder builder, JsonElement? value)
    {
        if (value is { } element)
        {
            Write(builder, element);
        }
        else
        {
            builder.Append("null");
        }
    }

    private static void Write(StringBuilder builder, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                // A Go map: the last of duplicate keys wins, keys come out sorted.
                var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    properties[property.Name] = property.Value;
                }
                builder.Append('{');
                var first = true;
                foreach (var (name, item) in properties.OrderBy(p => p.Key, GoJsonText.KeyOrder))
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }
                    first = false;
                    WriteString(builder, name);
                    builder.Append(':');
                    Write(builder, item);
                }
                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (index++ > 0)
                    {
                        builder.Append(',');
                    }
                    Write(builder, item);
                }
                builder.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(builder, value.GetString() ?? string.Empty);
                break;
            case JsonValueKind.Number:
                builder.Append(value.GetRawText());
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    private static void WriteString(StringBuilder builder, string text) => GoJsonText.WriteString(builder, text);
}
