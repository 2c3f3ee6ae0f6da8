using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Csi.ProviderHost.Yaml;

/// <summary>
/// The one reading of YAML parameters as the Go providers read them: SecretProviderClass parameters are YAML strings
/// written for gopkg.in/yaml (v2 through sigs.k8s.io/yaml, or v3), so null, booleans and integers resolve as Go's
/// parsers resolve untagged plain scalars, never as YamlDotNet's defaults. Every provider parses through this class.
/// </summary>
public static partial class GoYaml
{
    private const string TagPrefix = "tag:yaml.org,2002:";

    /// <summary>The first document's root node, or null for an empty stream; malformed input throws <see cref="YamlSyntaxException"/>.</summary>
    public static YamlNode? LoadFirstDocument(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new YamlSyntaxException(e.Start.Line, e.Start.Column, Reason(e.Message), e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner gives up on some malformed flow collections without a position.
            throw new YamlSyntaxException(0, 0, "an unclosed [ or {?", e);
        }
        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    /// <summary>
    /// Go's null: an unquoted <c>~</c>, <c>null</c>, <c>Null</c>, <c>NULL</c> or nothing without a tag, or anything
    /// tagged <c>!!null</c>. Quoted text and other tags (<c>!!str null</c>) are strings.
    /// </summary>
    public static bool IsNull(YamlNode node)
    {
        if (node is not YamlScalarNode scalar || IsQuoted(scalar))
        {
            return false;
        }
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag == TagPrefix + "null")
        {
            return true;
        }
        return tag is null && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
    }

    /// <summary>What a node is, in the words error messages use: mapping, list or single value.</summary>
    public static string Kind(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "single value",
    };

    /// <summary>
    /// A scalar as a Go provider sees it after sigs.k8s.io/yaml (yaml.v2 into JSON, then a Go string): quoted or
    /// <c>!!str</c> text as written; unquoted YAML 1.1 booleans (y, yes, on, ...) as "true"/"false"; unquoted
    /// integers (0x, 0o, 0b, leading-0 octal, underscores) in decimal; everything else as written.
    /// </summary>
    public static string ToGoString(YamlScalarNode scalar)
    {
        ArgumentNullException.ThrowIfNull(scalar);
        var text = scalar.Value ?? string.Empty;
        if (IsQuoted(scalar) || (!scalar.Tag.IsEmpty && scalar.Tag.Value != TagPrefix + "int" && scalar.Tag.Value != TagPrefix + "bool"))
        {
            return text;
        }
        switch (text)
        {
            case "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON":
                return "true";
            case "n" or "N" or "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF":
                return "false";
            default:
                return TryParseInt(text.Replace("_", string.Empty, StringComparison.Ordinal), out var value)
                    ? value.ToString(CultureInfo.InvariantCulture)
                    : text;
        }
    }

    /// <summary>Go's strconv.ParseInt(text, 0, 64): optional sign, then 0x, 0o, 0b or a leading 0 (octal), or decimal.</summary>
    public static bool TryParseInt(string text, out long value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = 0;
        if (text.Length == 0)
        {
            return false;
        }
        var body = text[0] is '+' or '-' ? text[1..] : text;
        if (!TryParseGoUnsigned(body, out var magnitude))
        {
            return false;
        }
        var negative = text[0] == '-';
        if (negative ? magnitude > (ulong)long.MaxValue + 1 : magnitude > long.MaxValue)
        {
            return false;
        }
        value = negative ? (long)(0 - magnitude) : (long)magnitude;
        return true;
    }

    private static bool TryParseGoUnsigned(string text, out ulong value)
    {
        value = 0;
        var digits = text;
        var radix = 10;
        if (digits.Length > 1 && digits[0] == '0')
        {
            (radix, digits) = char.ToLowerInvariant(digits[1]) switch
            {
                'x' => (16, digits[2..]),
                'o' => (8, digits[2..]),
                'b' => (2, digits[2..]),
                _ => (8, digits[1..]),
            };
        }
        if (digits.Length == 0)
        {
            return false;
        }
        foreach (var c in digits)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (digit >= radix)
            {
                return false;
            }
            try
            {
                value = checked((value * (ulong)radix) + (ulong)digit);
            }
            catch (OverflowException)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Writes a YAML node as the JSON a Go provider sends after yaml.v3 decoded it into interface{}; <paramref name="at"/>
    /// names it in errors.
    /// </summary>
    public static void WriteJson(Utf8JsonWriter writer, YamlNode node, string at)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (node)
        {
            case YamlMappingNode map:
                writer.WriteStartObject();
                foreach (var (key, value) in map.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw ProviderException.InvalidParameter($"{at}: keys must be single values, not a {Kind(key)}");
                    }
                    writer.WritePropertyName(name);
                    WriteJson(writer, value, $"{at}.{name}");
                }
                writer.WriteEndObject();
                break;
            case YamlSequenceNode list:
                writer.WriteStartArray();
                foreach (var item in list.Children)
                {
                    WriteJson(writer, item, at);
                }
                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar, at);
                break;
            default:
                throw ProviderException.InvalidParameter($"{at}: unsupported YAML node");
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar, string at)
    {
        var text = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (IsQuoted(scalar) || tag == TagPrefix + "str" || (tag is not null && !tag.StartsWith(TagPrefix, StringComparison.Ordinal)))
        {
            writer.WriteStringValue(text);
            return;
        }
        if (IsNull(scalar))
        {
            writer.WriteNullValue();
            return;
        }
        switch (text)
        {
            case "true" or "True" or "TRUE":
                writer.WriteBooleanValue(true);
                return;
            case "false" or "False" or "FALSE":
                writer.WriteBooleanValue(false);
                return;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF" or ".nan" or ".NaN" or ".NAN":
                throw ProviderException.InvalidParameter($"{at}: {text} cannot be sent as JSON; quote it to send a string");
            default:
                break;
        }

        var plain = text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (plain.Length > 0 && (char.IsAsciiDigit(plain[0]) || plain[0] is '+' or '-' or '.'))
        {
            if (TryParseInt(plain, out var integer))
            {
                writer.WriteNumberValue(integer);
                return;
            }
            if (plain[0] != '-' && TryParseGoUnsigned(plain.TrimStart('+'), out var unsigned))
            {
                writer.WriteNumberValue(unsigned);
                return;
            }
            if (YamlFloat().IsMatch(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            {
                writer.WriteNumberValue(number);
                return;
            }
        }
        if (tag is not null && tag != TagPrefix + "str")
        {
            throw ProviderException.InvalidParameter($"{at}: \"{text}\" is not a valid {tag[TagPrefix.Length..]}");
        }
        writer.WriteStringValue(text);
    }

    private static string Reason(string message)
    {
        var line = message.Split('\n')[0].Trim();
        // YamlDotNet prefixes "(Line: 1, Col: 2, Idx: 3) - (Line: ...): "; the position is kept apart.
        var dash = line.LastIndexOf("): ", StringComparison.Ordinal);
        return dash >= 0 ? line[(dash + 3)..] : line;
    }

    private static bool IsQuoted(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded;

    // yaml.v3's yamlStyleFloat.
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlFloat();
}
