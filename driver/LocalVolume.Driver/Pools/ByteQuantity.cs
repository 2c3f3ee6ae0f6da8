using System.Globalization;

namespace LocalVolume.Driver.Pools;

/// <summary>Sizes written as Kubernetes quantities with binary suffixes (Ki, Mi, Gi, Ti) or plain bytes.</summary>
public static class ByteQuantity
{
    private static readonly (string Suffix, long Factor)[] Suffixes =
    [
        ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40),
    ];

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        long factor = 1;
        var digits = text;
        foreach (var (suffix, value) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal))
            {
                factor = value;
                digits = text[..^suffix.Length];
                break;
            }
        }
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            return false;
        }
        try
        {
            bytes = checked(count * factor);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
