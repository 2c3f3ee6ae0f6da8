namespace Csi.ProviderHost.Yaml;

/// <summary>A parameter that is not valid YAML: where (when the parser knows) and why, in one line without the input.</summary>
public sealed class YamlSyntaxException : Exception
{
    public YamlSyntaxException()
    {
        Reason = string.Empty;
    }

    public YamlSyntaxException(string message)
        : base(message)
    {
        Reason = message;
    }

    public YamlSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    public YamlSyntaxException(long line, long column, string reason, Exception innerException)
        : base(line > 0 ? $"line {line}, column {column}: {reason}" : reason, innerException)
    {
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>1-based line of the problem, or 0 when the parser gave no position (some unclosed flow collections).</summary>
    public long Line { get; }

    public long Column { get; }

    /// <summary>The parser's reason, first line only, without its own position prefix.</summary>
    public string Reason { get; }

    /// <summary>"at line L, column C (reason)" or "(reason)" when there is no position.</summary>
    public string Where => Line > 0 ? $"at line {Line}, column {Column} ({Reason})" : $"({Reason})";
}
