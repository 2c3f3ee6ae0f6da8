namespace CsiProxy.Win.Groups;

/// <summary>Compares where a link points, whatever form the OS reports it in (\??\UNC\..., \\?\C:\..., trailing separator, case).</summary>
internal static class LinkTarget
{
    public static bool Same(string reported, string expected)
        => string.Equals(Normalize(reported), Normalize(expected), StringComparison.OrdinalIgnoreCase);

    private static string Normalize(string path)
    {
        var text = path.Replace('/', '\\');
        foreach (var prefix in new[] { @"\??\UNC\", @"\\?\UNC\" })
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                text = @"\\" + text[prefix.Length..];
            }
        }
        foreach (var prefix in new[] { @"\??\", @"\\?\" })
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                text = text[prefix.Length..];
            }
        }
        return text.TrimEnd('\\');
    }
}
