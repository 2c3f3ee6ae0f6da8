namespace Csi.Providers.Aws.JmesPath;

/// <summary>What went wrong in an expression, after the error names of the JMESPath compliance tests.</summary>
internal enum JmesPathErrorKind
{
    /// <summary>The expression does not follow the grammar.</summary>
    Syntax,

    /// <summary>A function name that is not built in.</summary>
    UnknownFunction,

    /// <summary>A function called with too few or too many arguments.</summary>
    InvalidArity,

    /// <summary>A function argument of a type the function does not take.</summary>
    InvalidType,

    /// <summary>A value the expression cannot use, such as a slice step of zero.</summary>
    InvalidValue,
}

/// <summary>
/// A JMESPath expression that cannot be compiled or evaluated. The message names the expression's parts
/// (a position, a function, an argument's type) and never carries the JSON document it ran on.
/// </summary>
internal sealed class JmesPathError : Exception
{
    public JmesPathError()
    {
    }

    public JmesPathError(string message)
        : base(message)
    {
    }

    public JmesPathError(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public JmesPathError(JmesPathErrorKind kind, string message, int position = -1)
        : base(position >= 0 ? $"{message} (at position {position})" : message)
    {
        Kind = kind;
        Position = position;
    }

    public JmesPathErrorKind Kind { get; }

    /// <summary>The character offset in the expression of a syntax error; -1 for evaluation errors.</summary>
    public int Position { get; } = -1;
}
