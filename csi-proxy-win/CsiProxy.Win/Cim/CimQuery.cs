using System.Globalization;
using System.Text;

namespace CsiProxy.Win.Cim;

/// <summary>
/// Builds a WQL "SELECT ... FROM class WHERE a = v AND ..." from typed values only. Class and property names
/// must be identifiers; strings are quoted with every backslash and quote escaped and control characters
/// refused, so request data can never change the shape of a query.
/// </summary>
public sealed class CimQuery
{
    private readonly string _className;
    private readonly List<string> _properties = [];
    private readonly List<string> _conditions = [];

    private CimQuery(string className)
    {
        _className = Identifier(className);
    }

    public static CimQuery From(string className) => new(className);

    public CimQuery Select(params string[] properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        foreach (var property in properties)
        {
            _properties.Add(Identifier(property));
        }
        return this;
    }

    public CimQuery Where(string property, string value)
    {
        _conditions.Add($"{Identifier(property)} = {Quote(value)}");
        return this;
    }

    public CimQuery Where(string property, uint value)
    {
        _conditions.Add($"{Identifier(property)} = {value.ToString(CultureInfo.InvariantCulture)}");
        return this;
    }

    public CimQuery Where(string property, bool value)
    {
        _conditions.Add($"{Identifier(property)} = {(value ? "TRUE" : "FALSE")}");
        return this;
    }

    public string Build()
    {
        var builder = new StringBuilder("SELECT ");
        builder.Append(_properties.Count == 0 ? "*" : string.Join(", ", _properties));
        builder.Append(" FROM ").Append(_className);
        if (_conditions.Count > 0)
        {
            builder.Append(" WHERE ").AppendJoin(" AND ", _conditions);
        }
        return builder.ToString();
    }

    public override string ToString() => Build();

    /// <summary>A WQL string literal: single quotes, backslash and quote escaped with a backslash.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException("a WQL string value may not contain control characters", nameof(value));
            }
            if (c is '\\' or '\'' or '"')
            {
                builder.Append('\\');
            }
            builder.Append(c);
        }
        return builder.Append('\'').ToString();
    }

    private static string Identifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"\"{name}\" is not a CIM class or property name", nameof(name));
        }
        return name;
    }
}
