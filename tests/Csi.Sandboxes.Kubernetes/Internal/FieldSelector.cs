using System.Text;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// A parsed field selector: <c>f=v</c>, <c>f==v</c>, <c>f!=v</c> joined by commas; <c>\</c> escapes <c>,</c>, <c>=</c>
/// and <c>\</c> in values.
/// </summary>
internal sealed class FieldSelector
{
    public static readonly FieldSelector Everything = new([]);

    private FieldSelector(IReadOnlyList<(string Field, bool Equal, string Value)> terms)
    {
        Terms = terms;
    }

    public IReadOnlyList<(string Field, bool Equal, string Value)> Terms { get; }

    public bool IsEmpty => Terms.Count == 0;

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string, bool, string)>();
        foreach (var part in SplitTerms(text))
        {
            if (part.Length == 0)
            {
                continue;
            }

            int at;
            bool equal;
            int skip;
            if ((at = IndexOfUnescaped(part, "!=")) >= 0)
            {
                equal = false;
                skip = 2;
            }
            else if ((at = IndexOfUnescaped(part, "==")) >= 0)
            {
                equal = true;
                skip = 2;
            }
            else if ((at = IndexOfUnescaped(part, "=")) >= 0)
            {
                equal = true;
                skip = 1;
            }
            else
            {
                throw ApiException.BadRequest($"invalid selector: '{text}'; can't understand '{part}'");
            }

            terms.Add((part[..at].Trim(), equal, Unescape(part[(at + skip)..])));
        }

        return new FieldSelector(terms);
    }

    /// <summary>Rewrites field names (e.g. <c>regarding.name</c> to <c>involvedObject.name</c>) after checking each is supported.</summary>
    public FieldSelector Translate(IReadOnlyDictionary<string, string> supported)
    {
        var terms = new List<(string, bool, string)>(Terms.Count);
        foreach (var (field, equal, value) in Terms)
        {
            if (!supported.TryGetValue(field, out var stored))
            {
                throw ApiException.BadRequest($"field label not supported: {field}");
            }

            terms.Add((stored, equal, value));
        }

        return new FieldSelector(terms);
    }

    /// <summary>The value a term requires for <paramref name="field"/> with <c>=</c>, if any.</summary>
    public string? RequiredValue(string field)
    {
        foreach (var (f, equal, value) in Terms)
        {
            if (equal && string.Equals(f, field, StringComparison.Ordinal))
            {
                return value;
            }
        }

        return null;
    }

    public bool Matches(IReadOnlyDictionary<string, string> fields)
    {
        foreach (var (field, equal, value) in Terms)
        {
            var actual = fields.TryGetValue(field, out var v) ? v : string.Empty;
            if (string.Equals(actual, value, StringComparison.Ordinal) != equal)
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> SplitTerms(string text)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                sb.Append(text[i]).Append(text[i + 1]);
                i++;
            }
            else if (text[i] == ',')
            {
                yield return sb.ToString();
                sb.Clear();
            }
            else
            {
                sb.Append(text[i]);
            }
        }

        yield return sb.ToString();
    }

    private static int IndexOfUnescaped(string s, string op)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\')
            {
                i++;
                continue;
            }

            if (string.CompareOrdinal(s, i, op, 0, op.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string s)
    {
        if (!s.Contains('\\', StringComparison.Ordinal))
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length)
            {
                i++;
            }

            sb.Append(s[i]);
        }

        return sb.ToString();
    }
}
