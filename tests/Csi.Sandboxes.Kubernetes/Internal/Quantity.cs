using System.Globalization;
using System.Numerics;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// <c>resource.Quantity</c> as the API server decodes and encodes it (<c>k8s.io/apimachinery/pkg/api/resource</c>):
/// the same parser, the same rounding up to nano units, and the canonical form written back (<c>1024Mi</c> is
/// <c>1Gi</c>, <c>1.5G</c> is <c>1500M</c>, <c>0.1</c> is <c>100m</c>), including the cases where the API server keeps
/// the text as sent because it is already canonical.
/// </summary>
internal static class Quantity
{
    public const string FormatWrong = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    public const string SuffixWrong = "unable to parse quantity's suffix";
    public const string NumericWrong = "unable to parse numeric part of quantity";

    private const string SuffixCharacters = "eEinumkKMGTP";
    private const int NanoScale = -9;
    private static readonly BigInteger MaxBinary = long.MaxValue;

    private static readonly Dictionary<string, int> DecimalSuffixes = new(StringComparer.Ordinal)
    {
        ["n"] = -9, ["u"] = -6, ["m"] = -3, [""] = 0, ["k"] = 3, ["M"] = 6, ["G"] = 9, ["T"] = 12, ["P"] = 15, ["E"] = 18,
    };

    private static readonly Dictionary<string, int> BinarySuffixes = new(StringComparer.Ordinal)
    {
        ["Ki"] = 10, ["Mi"] = 20, ["Gi"] = 30, ["Ti"] = 40, ["Pi"] = 50, ["Ei"] = 60,
    };

    private enum Format
    {
        DecimalExponent,
        BinarySI,
        DecimalSI,
    }

    /// <summary>The text the API server stores and returns for <paramref name="text"/>; throws <see cref="FormatException"/> with its message.</summary>
    public static string Canonical(string text) => Parse(text).Text;

    /// <summary>-1, 0 or 1: the sign of a quantity (the text must parse).</summary>
    public static int Sign(string text) => Parse(text).Unscaled.Sign;

    /// <summary>Compares two quantities by value (both must parse).</summary>
    public static int Compare(string a, string b)
    {
        var x = Parse(a);
        var y = Parse(b);
        var scale = Math.Min(x.Scale, y.Scale);
        return (x.Unscaled * BigInteger.Pow(10, x.Scale - scale)).CompareTo(y.Unscaled * BigInteger.Pow(10, y.Scale - scale));
    }

    /// <summary>The value is <c>Unscaled × 10^Scale</c>; <c>Text</c> is what the API server writes.</summary>
    private static (string Text, BigInteger Unscaled, int Scale) Parse(string text)
    {
        if (text.Length == 0)
        {
            throw new FormatException(FormatWrong);
        }

        var (positive, value, num, denom, suffix) = Split(text);
        if (!Interpret(suffix, out var numberBase, out var exponent, out var format))
        {
            throw new FormatException(SuffixWrong);
        }

        // The int64 fast path, which keeps already-canonical text as sent.
        var precision = -1;
        var scale = 0;
        long mantissa = 1;
        if (format is Format.DecimalExponent or Format.DecimalSI)
        {
            scale = exponent;
            precision = 18 - (num.Length + denom.Length);
        }
        else if (exponent >= 0 && denom.Length == 0)
        {
            mantissa = 1L << exponent;
            precision = 15 - num.Length - (int)(exponent * 3f / 10) - 1;
        }

        if (precision >= 0)
        {
            scale -= denom.Length;
            if (scale >= NanoScale)
            {
                var shifted = num + denom;
                if (!long.TryParse(shifted, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    throw new FormatException(NumericWrong);
                }

                var product = (BigInteger)parsed * mantissa;
                if (product <= long.MaxValue)
                {
                    var result = positive ? product : -product;
                    var keep = format == Format.BinarySI
                        ? exponent % 10 == 0 && (parsed & 0x07) != 0
                        : scale % 3 == 0 && !shifted.EndsWith("000", StringComparison.Ordinal) && shifted[0] != '0';
                    return (keep ? text : Canonicalize(result, scale, format), result, scale);
                }
            }
        }

        // Arbitrary precision: apply the suffix, round up to nano units, cap binary quantities at 2^63-1.
        if (!TryParseDecimal(value, out var unscaled, out var amountScale))
        {
            throw new FormatException(NumericWrong);
        }

        if (numberBase == 10)
        {
            amountScale += exponent;
        }
        else
        {
            unscaled *= BigInteger.Pow(2, exponent);
        }

        var negative = unscaled.Sign < 0;
        unscaled = BigInteger.Abs(unscaled);
        if (!unscaled.IsZero && amountScale < NanoScale)
        {
            var divisor = BigInteger.Pow(10, NanoScale - amountScale);
            var quotient = BigInteger.DivRem(unscaled, divisor, out var remainder);
            unscaled = remainder.IsZero ? quotient : quotient + 1;
            amountScale = NanoScale;
        }

        if (format == Format.BinarySI && CompareToInteger(unscaled, amountScale, MaxBinary) > 0)
        {
            unscaled = MaxBinary;
            amountScale = 0;
        }

        if (format == Format.BinarySI && !unscaled.IsZero && CompareToInteger(unscaled, amountScale, BigInteger.One) < 0)
        {
            format = Format.DecimalSI;
        }

        if (negative)
        {
            unscaled = -unscaled;
        }

        return (Canonicalize(unscaled, amountScale, format), unscaled, amountScale);
    }

    private static (bool Positive, string Value, string Num, string Denom, string Suffix) Split(string str)
    {
        var positive = true;
        var pos = 0;
        var end = str.Length;
        if (str[0] == '-')
        {
            positive = false;
            pos++;
        }
        else if (str[0] == '+')
        {
            pos++;
        }

        while (true)
        {
            if (pos >= end)
            {
                return (positive, "0", "0", string.Empty, string.Empty);
            }

            if (str[pos] != '0')
            {
                break;
            }

            pos++;
        }

        var start = pos;
        while (pos < end && char.IsAsciiDigit(str[pos]))
        {
            pos++;
        }

        if (pos >= end)
        {
            return (positive, str, str[start..end], string.Empty, string.Empty);
        }

        var num = pos == start ? "0" : str[start..pos];
        var denom = string.Empty;
        if (str[pos] == '.')
        {
            pos++;
            var denomStart = pos;
            while (pos < end && char.IsAsciiDigit(str[pos]))
            {
                pos++;
            }

            denom = str[denomStart..pos];
            if (pos >= end)
            {
                return (positive, str, num, denom, string.Empty);
            }
        }

        var value = str[..pos];
        var suffixStart = pos;
        while (pos < end && SuffixCharacters.Contains(str[pos], StringComparison.Ordinal))
        {
            pos++;
        }

        if (pos < end && str[pos] is '-' or '+')
        {
            pos++;
        }

        while (pos < end && char.IsAsciiDigit(str[pos]))
        {
            pos++;
        }

        if (pos < end)
        {
            throw new FormatException(FormatWrong);
        }

        return (positive, value, num, denom, str[suffixStart..]);
    }

    private static bool Interpret(string suffix, out int numberBase, out int exponent, out Format format)
    {
        if (DecimalSuffixes.TryGetValue(suffix, out exponent))
        {
            (numberBase, format) = (10, Format.DecimalSI);
            return true;
        }

        if (BinarySuffixes.TryGetValue(suffix, out exponent))
        {
            (numberBase, format) = (2, Format.BinarySI);
            return true;
        }

        (numberBase, format) = (10, Format.DecimalExponent);
        if (suffix.Length > 1 && suffix[0] is 'e' or 'E' && long.TryParse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            exponent = unchecked((int)parsed);
            return true;
        }

        return false;
    }

    private static bool TryParseDecimal(string value, out BigInteger unscaled, out int scale)
    {
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? value : value.Remove(dot, 1);
        scale = dot < 0 ? 0 : -(value.Length - dot - 1);
        return BigInteger.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out unscaled) && digits.Any(char.IsAsciiDigit);
    }

    private static int CompareToInteger(BigInteger unscaled, int scale, BigInteger integer) =>
        scale >= 0
            ? (unscaled * BigInteger.Pow(10, scale)).CompareTo(integer)
            : unscaled.CompareTo(integer * BigInteger.Pow(10, -scale));

    /// <summary><c>Quantity.CanonicalizeBytes</c>.</summary>
    private static string Canonicalize(BigInteger unscaled, int scale, Format format)
    {
        if (unscaled.IsZero)
        {
            return "0";
        }

        if (format == Format.BinarySI)
        {
            var magnitude = BigInteger.Abs(unscaled);
            var integral = scale >= 0 || (magnitude % BigInteger.Pow(10, -scale)).IsZero;
            if (CompareToInteger(magnitude, scale, 1024) < 0 || !integral)
            {
                format = Format.DecimalSI;
            }
            else
            {
                var whole = scale >= 0 ? unscaled * BigInteger.Pow(10, scale) : unscaled / BigInteger.Pow(10, -scale);
                var times = 0;
                while (BigInteger.Abs(whole) >= 1024 && (whole % 1024).IsZero)
                {
                    whole /= 1024;
                    times++;
                }

                return whole.ToString(CultureInfo.InvariantCulture) + BinarySuffixes.FirstOrDefault(p => p.Value == times * 10).Key;
            }
        }

        var amount = unscaled;
        var exponent = scale;
        while (BigInteger.Abs(amount) >= 10 && (amount % 10).IsZero)
        {
            amount /= 10;
            exponent++;
        }

        while (exponent % 3 != 0)
        {
            amount *= 10;
            exponent--;
        }

        var number = amount.ToString(CultureInfo.InvariantCulture);
        if (format == Format.DecimalSI && DecimalSuffixes.FirstOrDefault(p => p.Value == exponent) is { Key: { } suffix } && (suffix.Length > 0 || exponent == 0))
        {
            return number + suffix;
        }

        return exponent == 0 ? number : number + "e" + exponent.ToString(CultureInfo.InvariantCulture);
    }
}
