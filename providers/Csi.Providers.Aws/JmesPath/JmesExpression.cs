namespace Csi.Providers.Aws.JmesPath;

/// <summary>A compiled JMESPath expression (https://jmespath.org/specification.html).</summary>
internal sealed class JmesExpression
{
    private readonly JmesNode _root;

    private JmesExpression(string text, JmesNode root)
    {
        Text = text;
        _root = root;
    }

    public string Text { get; }

    /// <summary>Compiles <paramref name="expression"/>; a syntax error throws <see cref="JmesPathError"/> with its position.</summary>
    public static JmesExpression Compile(string expression)
    {
        try
        {
            return new(expression, JmesParser.Parse(expression));
        }
        catch (InsufficientExecutionStackException)
        {
            throw new JmesPathError(JmesPathErrorKind.Syntax, "The expression is nested too deeply");
        }
    }

    /// <summary>The expression's result on a value of the <see cref="JmesValue"/> model; errors throw <see cref="JmesPathError"/>.</summary>
    public object? Search(object? value)
    {
        try
        {
            return JmesInterpreter.Evaluate(_root, value);
        }
        catch (InsufficientExecutionStackException)
        {
            throw new JmesPathError(JmesPathErrorKind.InvalidValue, "The document or expression is nested too deeply");
        }
    }

    /// <summary>Compiles and evaluates on JSON text.</summary>
    public static object? Search(string expression, string json) => Compile(expression).Search(JmesValue.ParseLiteral(json));
}
