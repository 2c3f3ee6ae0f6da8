using System.Globalization;

namespace Csi.Provisioner.Provisioning;

/// <summary>Kubernetes resource quantities as byte counts: "10Gi", "500M", "1e9", "1024"; fractions round up.</summary>
public static class Quantity
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("k", 1e3m), ("M", 1e6m), ("G", 1e9m), ("T", 1e12m), ("P", 1e15m), ("E", 1e18m), ("m", 0.001m),
    ];

    private static readonly string[] BinaryUnits = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

    public static bool TryParseBytes(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var number = text.Trim();
        var factor = 1m;
        foreach (var (suffix, value) in Suffixes)
        {
            if (number.EndsWith(suffix, StringComparison.Ordinal) && number.Length > suffix.Length && char.IsAsciiDigit(number[^(suffix.Length + 1)]))
            {
                number = number[..^suffix.Length];
                factor = value;
                break;
            }
        }
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) || parsed < 0)
        {
            return false;
        }
        try
        {
            var total = decimal.Ceiling(parsed * factor);
            if (total > long.MaxValue)
            {
                return false;
            }
            bytes = (long)total;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>A byte count as the API server writes a binary-SI quantity: the largest exact binary unit.</summary>
    public static string FormatBytes(long bytes)
    {
        var unit = 0;
        while (bytes != 0 && bytes % 1024 == 0 && unit < BinaryUnits.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return bytes.ToString(CultureInfo.InvariantCulture) + BinaryUnits[unit];
    }
}
