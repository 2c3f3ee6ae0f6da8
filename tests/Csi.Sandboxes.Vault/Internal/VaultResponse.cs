using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Vault.Internal;

/// <summary>An HTTP answer: status plus a JSON body, a raw body, or nothing (204).</summary>
internal sealed class VaultResponse
{
    private VaultResponse(int status, JsonNode? json, string? raw, string? contentType)
    {
        Status = status;
        Json = json;
        Raw = raw;
        ContentType = contentType;
    }

    public int Status { get; }

    public JsonNode? Json { get; }

    public string? Raw { get; }

    public string? ContentType { get; }

    public bool Injected { get; init; }

    public static VaultResponse NoContent() => new(204, null, null, null);

    public static VaultResponse FromJson(int status, JsonNode body) => new(status, body, null, "application/json");

    public static VaultResponse FromRaw(int status, string body, string contentType) => new(status, null, body, contentType);

    /// <summary><c>{"errors":[...]}</c>; no messages gives Vault's bare <c>{"errors":[]}</c>.</summary>
    public static VaultResponse Error(int status, params string[] messages)
    {
        var errors = new JsonArray();
        foreach (var m in messages)
        {
            errors.Add(m);
        }

        return new(status, new JsonObject { ["errors"] = errors }, null, "application/json");
    }

    /// <summary>An error produced by fault injection rather than by Vault logic.</summary>
    public static VaultResponse InjectedError(int status, string message)
    {
        var error = Error(status, message);
        return new VaultResponse(error.Status, error.Json, null, error.ContentType) { Injected = true };
    }

    /// <summary>404 <c>{"errors":[]}</c>: what Vault answers for a read of nothing.</summary>
    public static VaultResponse NotFound() => Error(404);

    /// <summary>A plugin's <c>logical.ErrorResponse</c>: 400 with the message.</summary>
    public static VaultResponse BadRequest(string message) => Error(400, message);

    /// <summary>A core error wrapped by go-multierror, as Vault renders ACL and routing failures.</summary>
    public static VaultResponse MultiError(int status, params string[] messages) => Error(status, VaultText.MultiError(messages));

    /// <summary>The standard response envelope (<c>logical.HTTPResponse</c>).</summary>
    public static VaultResponse Envelope(
        int status,
        JsonNode? data,
        string mountType,
        string leaseId = "",
        bool renewable = false,
        long leaseDuration = 0,
        JsonObject? auth = null,
        IEnumerable<string>? warnings = null)
    {
        JsonArray? warningArray = null;
        if (warnings is not null)
        {
            warningArray = [];
            foreach (var w in warnings)
            {
                warningArray.Add(w);
            }
        }

        var body = new JsonObject
        {
            ["request_id"] = Guid.NewGuid().ToString(),
            ["lease_id"] = leaseId,
            ["renewable"] = renewable,
            ["lease_duration"] = leaseDuration,
            ["data"] = data,
            ["wrap_info"] = null,
            ["warnings"] = warningArray,
            ["auth"] = auth,
            ["mount_type"] = mountType,
        };
        return FromJson(status, body);
    }

    /// <summary>200 with the envelope.</summary>
    public static VaultResponse Ok(JsonNode? data, string mountType) => Envelope(200, data, mountType);
}

/// <summary>Strings and formats Vault uses.</summary>
internal static class VaultText
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public const string PermissionDenied = "permission denied";
    public const string InvalidToken = "invalid token";

    /// <summary>go-multierror's format: <c>1 error occurred:\n\t* permission denied\n\n</c>.</summary>
    public static string MultiError(params string[] messages)
    {
        var header = messages.Length == 1 ? "1 error occurred:" : $"{messages.Length} errors occurred:";
        return header + "\n" + string.Concat(messages.Select(m => "\t* " + m + "\n")) + "\n";
    }

    /// <summary>Go's RFC3339Nano in UTC, as KV v2 writes created_time and deletion_time.</summary>
    public static string Timestamp(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        var fraction = utc.ToString("fffffff", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : string.Empty) + "Z";
    }

    public static string Random(int length)
    {
        return RandomNumberGenerator.GetString(Base62, length);
    }

    public static string NewUuid() => Guid.NewGuid().ToString();

    /// <summary>Vault's (go-glob) match: <c>*</c> matches any run of characters.</summary>
    public static bool GlobMatch(string pattern, string value)
    {
        if (string.Equals(pattern, "*", StringComparison.Ordinal))
        {
            return true;
        }

        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return string.Equals(pattern, value, StringComparison.Ordinal);
        }

        if (!value.StartsWith(parts[0], StringComparison.Ordinal))
        {
            return false;
        }

        var index = parts[0].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = value.IndexOf(parts[i], index, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            index = found + parts[i].Length;
        }

        var last = parts[^1];
        return value.Length - index >= last.Length && value.EndsWith(last, StringComparison.Ordinal);
    }

    public static bool ListContainsGlob(IEnumerable<string> patterns, string value) =>
        patterns.Any(p => GlobMatch(p, value));

    /// <summary>
    /// Vault's duration syntax (parseutil.ParseDurationSecond): plain seconds, or Go durations with s/m/h plus d.
    /// </summary>
    public static bool TryParseDuration(JsonNode? node, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        switch (node)
        {
            case null:
                return false;
            case JsonValue v when v.TryGetValue<long>(out var seconds):
                value = TimeSpan.FromSeconds(seconds);
                return true;
            case JsonValue v when v.TryGetValue<double>(out var fractional):
                value = TimeSpan.FromSeconds(fractional);
                return true;
            case JsonValue v when v.TryGetValue<string>(out var s):
                return TryParseDuration(s, out value);
            default:
                return false;
        }
    }

    public static bool TryParseDuration(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var plain))
        {
            value = TimeSpan.FromSeconds(plain);
            return true;
        }

        var total = TimeSpan.Zero;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            TimeSpan? part = text[unitStart..i] switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                "h" => TimeSpan.FromHours(number),
                "d" => TimeSpan.FromDays(number),
                _ => null,
            };
            if (part is null)
            {
                return false;
            }

            total += part.Value;
        }

        value = total;
        return true;
    }

    /// <summary>Go's time.Duration.String(), e.g. <c>0s</c>, <c>1h0m0s</c>.</summary>
    public static string GoDuration(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var hours = (long)value.TotalHours;
        var minutes = value.Minutes;
        var seconds = value.Seconds;
        if (hours > 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{hours}h{minutes}m{seconds}s");
        }

        return minutes > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{minutes}m{seconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds}s");
    }
}
