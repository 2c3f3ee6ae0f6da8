using Csi.ProviderHost;

namespace Csi.Providers.Aws;

/// <summary>
/// <c>pathTranslation</c>: the character that replaces '/' in file names (default '_'), or none ("False",
/// any case) in which case a leading '/' is trimmed and the rest of the name becomes directories.
/// </summary>
internal sealed class PathTranslation
{
    public const string Parameter = "pathTranslation";

    public static readonly PathTranslation Default = new('_');

    public static readonly PathTranslation Off = new(null);

    private PathTranslation(char? replacement)
    {
        Replacement = replacement;
    }

    public char? Replacement { get; }

    public static PathTranslation Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Default;
        }
        if (text.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return Off;
        }
        if (text.Length != 1)
        {
            throw ProviderException.InvalidParameter(
                $"{Parameter}: pathTranslation must be either 'False' or a single character string, not \"{text}\"; e.g. pathTranslation: \"_\"");
        }
        return text[0] == '_' ? Default : new PathTranslation(text[0]);
    }

    /// <summary>The file name for an object name or alias.</summary>
    public string Apply(string name) =>
        Replacement is { } c ? name.Replace('/', c) : name.TrimStart('/');
}
