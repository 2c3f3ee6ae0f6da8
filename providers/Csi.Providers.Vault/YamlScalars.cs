using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Csi.ProviderHost;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Csi.Providers.Vault;

/// <summary>
/// YAML scalars resolved as gopkg.in/yaml.v3 resolves untagged plain scalars (null, bool, int with Go's base
/// prefixes, float, string), and YAML nodes written as the JSON upstream sends after decoding into interface{}.
/// </summary>
internal static partial class YamlScalars
{
    private const string TagPrefix = "tag:yaml.org,2002:";

    public static bool IsNull(YamlScalarNode scalar)
    {
        if (IsQuoted(scalar))
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

    /// <summary>Go's strconv.ParseInt(text, 0, 64): optional sign, then 0x, 0o, 0b or a leading 0 (octal), or decimal.</summary>
    public static bool TryParseGoInt(string text, out long value)
    {
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

    /// <summary>Writes a YAML node as JSON; <paramref name="at"/> names it in errors.</summary>
    public static void WriteJson(Utf8JsonWriter writer, YamlNode node, string at)
    {
        switch (node)
        {
            case YamlMappingNode map:
                writer.WriteStartObject();
                foreach (var (key, value) in map.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw ProviderException.InvalidParameter($"{at}: keys must be single values, not a {VaultObjectsParser.Kind(key)}");
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
            if (TryParseGoInt(plain, out var integer))
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

    private static bool IsQuoted(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded;

    // yaml.v3's yamlStyleFloat.
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlFloat();
}
