using System.Globalization;
using System.Text;

namespace Csi.Providers.Vault;

/// <summary>
/// One request for secret material: method, escaped path under /v1/, encoded query and JSON body. Objects whose
/// requests are equal share one call, so the parts of one dynamic credential stay together.
/// </summary>
internal sealed record VaultRequest(string Method, string Path, string Query, byte[]? Body)
{
    /// <summary>Equal for equal requests: method, path, query and body bytes.</summary>
    public string Key { get; } = Method + " " + Path + "?" + Query + "\n" + (Body is null ? "-" : Convert.ToBase64String(Body));

    /// <summary>The path as people write it, without /v1/ (e.g. secret/data/app); for messages.</summary>
    public string DisplayPath => Uri.UnescapeDataString(Path.StartsWith("/v1/", StringComparison.Ordinal) ? Path[4..] : Path.TrimStart('/'));

    public string PathAndQuery => Query.Length == 0 ? Path : Path + "?" + Query;

    /// <summary>
    /// Builds the request as upstream does: "/v1/" is added when missing, a "?a=b" query is split off and checked,
    /// the method defaults to GET. Returns null and a reason when the path or method cannot be sent.
    /// </summary>
    public static VaultRequest? Create(string secretPath, string? method, byte[]? body, out string? problem)
    {
        problem = null;
        var path = EnsureV1Prefix(secretPath);
        var query = string.Empty;
        var mark = path.IndexOf('?', StringComparison.Ordinal);
        if (mark >= 0)
        {
            if (!TryNormalizeQuery(path[(mark + 1)..], out query, out problem))
            {
                return null;
            }
            path = path[..mark];
        }

        var verb = string.IsNullOrEmpty(method) ? "GET" : method.ToUpperInvariant();
        if (!verb.All(IsTokenChar))
        {
            problem = $"method \"{method}\" is not an HTTP method; use GET (the default), PUT, POST or another Vault verb";
            return null;
        }
        return new VaultRequest(verb, EscapePath(path), query, body);
    }

    // Go's ensureV1Prefix from upstream's client.go.
    internal static string EnsureV1Prefix(string path) =>
        path.StartsWith("/v1/", StringComparison.Ordinal) ? path
        : path.StartsWith("v1/", StringComparison.Ordinal) ? "/" + path
        : path.StartsWith('/') ? "/v1" + path
        : "/v1/" + path;

    /// <summary>Go's url.ParseQuery then Values.Encode: checked escapes, no ';', keys sorted.</summary>
    internal static bool TryNormalizeQuery(string raw, out string query, out string? problem)
    {
        query = string.Empty;
        problem = null;
        var pairs = new List<(string Key, string Value)>();
        foreach (var part in raw.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }
            if (part.Contains(';', StringComparison.Ordinal))
            {
                problem = "invalid semicolon separator in query";
                return false;
            }
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? string.Empty : part[(equals + 1)..];
            if (!TryQueryUnescape(key, out var k) || !TryQueryUnescape(value, out var v))
            {
                problem = $"invalid escape in query \"{part}\"";
                return false;
            }
            pairs.Add((k, v));
        }
        query = string.Join('&', pairs
            .Select((p, i) => (p.Key, p.Value, i))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.i)
            .Select(p => QueryEscape(p.Key) + "=" + QueryEscape(p.Value)));
        return true;
    }

    private static bool TryQueryUnescape(string text, out string value)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                {
                    value = string.Empty;
                    return false;
                }
                bytes.Add(b);
                i += 2;
            }
            else if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }
        value = Encoding.UTF8.GetString(bytes.ToArray());
        return true;
    }

    private static string QueryEscape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (IsUnreserved(b))
            {
                builder.Append((char)b);
            }
            else if (b == ' ')
            {
                builder.Append('+');
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    /// <summary>Go's url.URL.EscapedPath: unreserved characters and $&amp;+,/:;=@ stay, the rest is percent-encoded.</summary>
    internal static string EscapePath(string path)
    {
        var builder = new StringBuilder(path.Length);
        foreach (var b in Encoding.UTF8.GetBytes(path))
        {
            if (IsUnreserved(b) || b is (byte)'$' or (byte)'&' or (byte)'+' or (byte)',' or (byte)'/' or (byte)':' or (byte)';' or (byte)'=' or (byte)'@')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    private static bool IsUnreserved(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';

    // RFC 9110 token characters.
    private static bool IsTokenChar(char c) => c is >= 'A' and <= 'Z' or >= '0' and <= '9' or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
