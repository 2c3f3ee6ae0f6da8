using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Csi.ProviderHost.Json;

namespace Csi.Providers.Aws.JmesPath;

/// <summary>
/// The JSON values an expression works on, as Go's decoder gives them to go-jmespath: <c>null</c>, <see cref="bool"/>,
/// <see cref="double"/> (every number), <see cref="string"/>, <see cref="List{T}"/> of values (arrays) and
/// <see cref="Dictionary{TKey, TValue}"/> of values (objects). Values are shared, never changed after they are built,
/// so a projection can hand out parts of the document without copying them. <see cref="ExpressionReference"/>
/// (<c>&amp;expr</c>) exists only as a function argument.
/// </summary>
internal static class JmesValue
{
    /// <summary>Go's decoder refuses deeper documents.</summary>
    public const int MaxDepth = 10000;

    /// <summary>
    /// Reads strict JSON (RFC 8259, one value, no comments or trailing commas) with System.Text.Json. Invalid UTF-8
    /// inside strings becomes U+FFFD as with Go; a number beyond the range of a double is refused as Go refuses it.
    /// </summary>
    public static object? Parse(ReadOnlySpan<byte> utf8)
    {
        byte[]? cleaned = null;
        if (!Utf8.IsValid(utf8))
        {
            cleaned = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(utf8));
            utf8 = cleaned;
        }
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
        var containers = new Stack<object>();
        var names = new Stack<string?>();
        string? name = null;
        object? root = null;
        var done = false;
        while (reader.Read())
        {
            object? value;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    containers.Push(new Dictionary<string, object?>(StringComparer.Ordinal));
                    names.Push(name);
                    name = null;
                    continue;
                case JsonTokenType.StartArray:
                    containers.Push(new List<object?>());
                    names.Push(name);
                    name = null;
                    continue;
                case JsonTokenType.PropertyName:
                    name = reader.GetString();
                    continue;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    value = containers.Pop();
                    name = names.Pop();
                    break;
                case JsonTokenType.String:
                    value = reader.GetString();
                    break;
                case JsonTokenType.Number:
                    if (!reader.TryGetDouble(out var number) || !double.IsFinite(number))
                    {
                        throw new JsonException("A number is out of the range of a double.");
                    }
                    value = number;
                    break;
                case JsonTokenType.True:
                    value = true;
                    break;
                case JsonTokenType.False:
                    value = false;
                    break;
                case JsonTokenType.Null:
                    value = null;
                    break;
                default:
                    throw new JsonException("Unexpected JSON token.");
            }
            if (containers.Count == 0)
            {
                root = value;
                done = true;
            }
            else if (containers.Peek() is List<object?> list)
            {
                list.Add(value);
            }
            else
            {
                // Go's decoder keeps the last of duplicate names.
                ((Dictionary<string, object?>)containers.Peek())[name!] = value;
                name = null;
            }
        }
        return done ? root : throw new JsonException("No JSON value.");
    }

    /// <summary>Parses the JSON text of a backtick literal.</summary>
    public static object? ParseLiteral(string json) => Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>JMESPath's false values: null, false, "", [] and {}; everything else (numbers included) is true.</summary>
    public static bool IsTruthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        List<object?> l => l.Count > 0,
        Dictionary<string, object?> o => o.Count > 0,
        _ => true,
    };

    /// <summary>The name <c>type()</c> returns.</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "null",
        bool => "boolean",
        double => "number",
        string => "string",
        List<object?> => "array",
        Dictionary<string, object?> => "object",
        ExpressionReference => "expref",
        _ => "unknown",
    };

    /// <summary>Deep equality of JSON values: numbers by value, objects regardless of key order.</summary>
    public static bool DeepEquals(object? a, object? b)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (a)
        {
            case null:
                return b is null;
            case bool boolean:
                return b is bool otherBoolean && boolean == otherBoolean;
            case double number:
                return b is double otherNumber && number == otherNumber;
            case string text:
                return b is string otherText && string.Equals(text, otherText, StringComparison.Ordinal);
            case List<object?> x:
                if (b is not List<object?> ly || ly.Count != x.Count)
                {
                    return false;
                }
                for (var i = 0; i < x.Count; i++)
                {
                    if (!DeepEquals(x[i], ly[i]))
                    {
                        return false;
                    }
                }
                return true;
            case Dictionary<string, object?> x:
                if (b is not Dictionary<string, object?> oy || oy.Count != x.Count)
                {
                    return false;
                }
                foreach (var (key, value) in x)
                {
                    if (!oy.TryGetValue(key, out var other) || !DeepEquals(value, other))
                    {
                        return false;
                    }
                }
                return true;
            default:
                return ReferenceEquals(a, b);
        }
    }

    /// <summary>Orders strings by code point, as Go orders its UTF-8 strings byte by byte.</summary>
    public static int CompareStrings(string a, string b) => GoJsonText.CompareStrings(a, b);

    /// <summary>The number of code points (Go's runes) in a string.</summary>
    public static int CodePointCount(string s)
    {
        var count = 0;
        foreach (var _ in s.EnumerateRunes())
        {
            count++;
        }
        return count;
    }

    /// <summary>
    /// JSON text as Go's encoding/json writes the value (what go-jmespath's <c>to_string</c> returns): compact,
    /// object keys sorted, <c>&lt;</c> <c>&gt;</c> <c>&amp;</c> escaped, numbers in Go's float64 notation.
    /// </summary>
    public static string ToJson(object? value)
    {
        var builder = new StringBuilder();
        WriteJson(builder, value);
        return builder.ToString();
    }

    private static void WriteJson(StringBuilder builder, object? value)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (value)
        {
            case null:
                builder.Append("null");
                break;
            case bool b:
                builder.Append(b ? "true" : "false");
                break;
            case double d:
                builder.Append(FormatNumber(d));
                break;
            case string s:
                WriteString(builder, s);
                break;
            case List<object?> list:
                builder.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }
                    WriteJson(builder, list[i]);
                }
                builder.Append(']');
                break;
            case Dictionary<string, object?> map:
                builder.Append('{');
                var first = true;
                foreach (var key in map.Keys.Order(GoJsonText.KeyOrder))
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }
                    first = false;
                    WriteString(builder, key);
                    builder.Append(':');
                    WriteJson(builder, map[key]);
                }
                builder.Append('}');
                break;
            default:
                throw new JmesPathError(JmesPathErrorKind.InvalidType, "An expression reference has no JSON form.");
        }
    }

    private static void WriteString(StringBuilder builder, string s) => GoJsonText.WriteString(builder, s);

    /// <summary>
    /// Go's JSON notation of a float64: the shortest digits that read back the same, plain below 1e21 and from
    /// 1e-6 on, else with an exponent (<c>1e+21</c>, <c>1e-7</c>).
    /// </summary>
    public static string FormatNumber(double d)
    {
        var shortest = d.ToString("R", CultureInfo.InvariantCulture);
        var negative = shortest.StartsWith('-');
        if (negative)
        {
            shortest = shortest[1..];
        }
        var exponent = 0;
        var e = shortest.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(shortest.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            shortest = shortest[..e];
        }
        var dot = shortest.IndexOf('.', StringComparison.Ordinal);
        var integer = dot >= 0 ? shortest[..dot] : shortest;
        var digits = integer + (dot >= 0 ? shortest[(dot + 1)..] : string.Empty);
        var point = integer.Length + exponent;
        var leading = 0;
        while (leading < digits.Length && digits[leading] == '0')
        {
            leading++;
        }
        digits = digits[leading..].TrimEnd('0');
        point -= leading;
        var sign = negative ? "-" : string.Empty;
        if (digits.Length == 0)
        {
            return sign + "0";
        }
        var abs = Math.Abs(d);
        if (abs < 1e-6 || abs >= 1e21)
        {
            var mantissa = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
            var power = point - 1;
            return sign + mantissa + "e" + (power < 0 ? "-" : "+") + Math.Abs(power).ToString(CultureInfo.InvariantCulture);
        }
        if (point <= 0)
        {
            return sign + "0." + new string('0', -point) + digits;
        }
        if (point >= digits.Length)
        {
            return sign + digits + new string('0', point - digits.Length);
        }
        return sign + digits[..point] + "." + digits[point..];
    }
}

/// <summary>An <c>&amp;expression</c> passed to a function, evaluated by the function against values of its choice.</summary>
internal sealed record ExpressionReference(JmesNode Expression);
