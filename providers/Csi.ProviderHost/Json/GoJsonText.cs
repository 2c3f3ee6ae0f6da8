using System.Text;

namespace Csi.ProviderHost.Json;

/// <summary>
/// The two rules of Go's encoding/json that decide the bytes a provider writes when upstream marshals JSON with it:
/// how a string is escaped and in which order map keys come. Shared by every provider that writes JSON files as its
/// upstream counterpart does.
/// </summary>
public static class GoJsonText
{
    private const string Hex = "0123456789abcdef";

    /// <summary>Go sorts map keys by their UTF-8 bytes, which is the order of their code points.</summary>
    public static IComparer<string> KeyOrder { get; } = Comparer<string>.Create(CompareStrings);

    /// <summary>Compares two strings by code point, as Go compares UTF-8 strings byte by byte.</summary>
    public static int CompareStrings(string? a, string? b)
    {
        var left = (a ?? string.Empty).EnumerateRunes();
        var right = (b ?? string.Empty).EnumerateRunes();
        while (true)
        {
            var hasLeft = left.MoveNext();
            var hasRight = right.MoveNext();
            if (!hasLeft || !hasRight)
            {
                return hasLeft ? 1 : hasRight ? -1 : 0;
            }
            var c = left.Current.Value.CompareTo(right.Current.Value);
            if (c != 0)
            {
                return c;
            }
        }
    }

    /// <summary>
    /// A JSON string as Go's encoder writes it with HTML escaping on (json.Marshal's default): the short escapes,
    /// other control characters and <c>&lt; &gt; &amp;</c> U+2028 U+2029 as <c>\u00XX</c>/<c>\u202X</c>, an
    /// unpaired surrogate (invalid UTF-8 to Go) as U+FFFD, other non-ASCII text raw.
    /// </summary>
    public static void WriteString(StringBuilder builder, string text)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(text);
        builder.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case < ' ' or '<' or '>' or '&':
                    builder.Append("\\u00").Append(Hex[c >> 4]).Append(Hex[c & 0xF]);
                    break;
                case '\u2028' or '\u2029':
                    builder.Append("\\u202").Append(Hex[c & 0xF]);
                    break;
                default:
                    if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])))
                    {
                        builder.Append('\ufffd');
                    }
                    else
                    {
                        builder.Append(c);
                        if (char.IsHighSurrogate(c))
                        {
                            builder.Append(text[++i]);
                        }
                    }
                    break;
            }
        }
        builder.Append('"');
    }
}
