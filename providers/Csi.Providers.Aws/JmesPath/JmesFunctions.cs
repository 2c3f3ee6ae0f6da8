using System.Globalization;
using System.Text;

// Every function body has the one delegate type of the table, returning any JSON value.
#pragma warning disable CA1859

namespace Csi.Providers.Aws.JmesPath;

/// <summary>The argument types of the built-in functions' signatures.</summary>
[Flags]
internal enum ArgumentType
{
    None = 0,
    Number = 1,
    String = 2,
    Boolean = 4,
    Array = 8,
    Object = 16,
    Null = 32,
    Expref = 64,
    ArrayOfNumbers = 128,
    ArrayOfStrings = 256,
    Any = Number | String | Boolean | Array | Object | Null,
}

/// <summary>
/// The built-in functions of the specification. Arity and argument types are checked when a function is called
/// (as go-jmespath does), and the errors name the function, the argument and the types, never the values.
/// </summary>
internal static class JmesFunctions
{
    private sealed record Signature(ArgumentType[] Parameters, bool Variadic, Func<object?[], object?> Body);

    private static readonly Dictionary<string, Signature> Functions = new(StringComparer.Ordinal)
    {
        ["abs"] = new([ArgumentType.Number], false, a => Math.Abs((double)a[0]!)),
        ["avg"] = new([ArgumentType.ArrayOfNumbers], false, a => Numbers(a[0]) is { Count: > 0 } n ? n.Sum() / n.Count : null),
        ["ceil"] = new([ArgumentType.Number], false, a => Math.Ceiling((double)a[0]!)),
        ["contains"] = new([ArgumentType.Array | ArgumentType.String, ArgumentType.Any], false, Contains),
        ["ends_with"] = new([ArgumentType.String, ArgumentType.String], false, a => ((string)a[0]!).EndsWith((string)a[1]!, StringComparison.Ordinal)),
        ["floor"] = new([ArgumentType.Number], false, a => Math.Floor((double)a[0]!)),
        ["join"] = new([ArgumentType.String, ArgumentType.ArrayOfStrings], false, a => string.Join((string)a[0]!, ((List<object?>)a[1]!).Cast<string>())),
        ["keys"] = new([ArgumentType.Object], false, a => ((Dictionary<string, object?>)a[0]!).Keys.Select(k => (object?)k).ToList()),
        ["length"] = new([ArgumentType.String | ArgumentType.Array | ArgumentType.Object], false, Length),
        ["map"] = new([ArgumentType.Expref, ArgumentType.Array], false, Map),
        ["max"] = new([ArgumentType.ArrayOfNumbers | ArgumentType.ArrayOfStrings], false, a => Extreme((List<object?>)a[0]!, max: true)),
        ["max_by"] = new([ArgumentType.Array, ArgumentType.Expref], false, a => ExtremeBy(a, "max_by", max: true)),
        ["merge"] = new([ArgumentType.Object], true, Merge),
        ["min"] = new([ArgumentType.ArrayOfNumbers | ArgumentType.ArrayOfStrings], false, a => Extreme((List<object?>)a[0]!, max: false)),
        ["min_by"] = new([ArgumentType.Array, ArgumentType.Expref], false, a => ExtremeBy(a, "min_by", max: false)),
        ["not_null"] = new([ArgumentType.Any], true, a => a.FirstOrDefault(v => v is not null)),
        ["reverse"] = new([ArgumentType.String | ArgumentType.Array], false, Reverse),
        ["sort"] = new([ArgumentType.ArrayOfNumbers | ArgumentType.ArrayOfStrings], false, a => Sorted((List<object?>)a[0]!)),
        ["sort_by"] = new([ArgumentType.Array, ArgumentType.Expref], false, SortBy),
        ["starts_with"] = new([ArgumentType.String, ArgumentType.String], false, a => ((string)a[0]!).StartsWith((string)a[1]!, StringComparison.Ordinal)),
        ["sum"] = new([ArgumentType.ArrayOfNumbers], false, a => Numbers(a[0]).Sum()),
        ["to_array"] = new([ArgumentType.Any], false, a => a[0] is List<object?> ? a[0] : new List<object?> { a[0] }),
        ["to_number"] = new([ArgumentType.Any], false, a => ToNumber(a[0])),
        ["to_string"] = new([ArgumentType.Any], false, a => a[0] as string ?? JmesValue.ToJson(a[0])),
        ["type"] = new([ArgumentType.Any], false, a => JmesValue.TypeName(a[0])),
        ["values"] = new([ArgumentType.Object], false, a => ((Dictionary<string, object?>)a[0]!).Values.ToList()),
    };

    public static object? Call(string name, object?[] arguments)
    {
        if (!Functions.TryGetValue(name, out var signature))
        {
            throw new JmesPathError(JmesPathErrorKind.UnknownFunction, $"Unknown function: {name}()");
        }
        var count = signature.Parameters.Length;
        if (signature.Variadic ? arguments.Length < count : arguments.Length != count)
        {
            var expected = signature.Variadic ? $"at least {count}" : count.ToString(CultureInfo.InvariantCulture);
            throw new JmesPathError(JmesPathErrorKind.InvalidArity, $"Invalid arity: {name}() takes {expected} argument(s), got {arguments.Length}");
        }
        for (var i = 0; i < arguments.Length; i++)
        {
            var type = signature.Parameters[Math.Min(i, count - 1)];
            if (!Matches(arguments[i], type))
            {
                throw new JmesPathError(JmesPathErrorKind.InvalidType,
                    $"Invalid type for argument {i + 1} of {name}(): expected {Describe(type)}, got {JmesValue.TypeName(arguments[i])}");
            }
        }
        return signature.Body(arguments);
    }

    private static bool Matches(object? value, ArgumentType type) => value switch
    {
        null => type.HasFlag(ArgumentType.Null),
        double => type.HasFlag(ArgumentType.Number),
        string => type.HasFlag(ArgumentType.String),
        bool => type.HasFlag(ArgumentType.Boolean),
        Dictionary<string, object?> => type.HasFlag(ArgumentType.Object),
        ExpressionReference => type.HasFlag(ArgumentType.Expref),
        List<object?> list => type.HasFlag(ArgumentType.Array)
            || (type.HasFlag(ArgumentType.ArrayOfNumbers) && list.TrueForAll(e => e is double))
            || (type.HasFlag(ArgumentType.ArrayOfStrings) && list.TrueForAll(e => e is string)),
        _ => false,
    };

    private static string Describe(ArgumentType type)
    {
        if (type == ArgumentType.Any)
        {
            return "any";
        }
        var names = new List<string>();
        foreach (var (flag, name) in new[]
        {
            (ArgumentType.Number, "number"), (ArgumentType.String, "string"), (ArgumentType.Boolean, "boolean"),
            (ArgumentType.Array, "array"), (ArgumentType.Object, "object"), (ArgumentType.Null, "null"),
            (ArgumentType.Expref, "expression"), (ArgumentType.ArrayOfNumbers, "array of numbers"), (ArgumentType.ArrayOfStrings, "array of strings"),
        })
        {
            if (type.HasFlag(flag))
            {
                names.Add(name);
            }
        }
        return string.Join(" or ", names);
    }

    private static List<double> Numbers(object? array) => ((List<object?>)array!).Select(e => (double)e!).ToList();

    private static object? Contains(object?[] a)
    {
        if (a[0] is string subject)
        {
            return a[1] is string search && subject.Contains(search, StringComparison.Ordinal);
        }
        return ((List<object?>)a[0]!).Exists(e => JmesValue.DeepEquals(e, a[1]));
    }

    private static object? Length(object?[] a) => (double)(a[0] switch
    {
        string s => JmesValue.CodePointCount(s),
        List<object?> l => l.Count,
        _ => ((Dictionary<string, object?>)a[0]!).Count,
    });

    private static object? Map(object?[] a)
    {
        var expression = ((ExpressionReference)a[0]!).Expression;
        return ((List<object?>)a[1]!).Select(e => JmesInterpreter.Evaluate(expression, e)).ToList();
    }

    private static object? Merge(object?[] a)
    {
        var merged = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var map in a.Cast<Dictionary<string, object?>>())
        {
            foreach (var (key, value) in map)
            {
                merged[key] = value;
            }
        }
        return merged;
    }

    private static object? Reverse(object?[] a)
    {
        if (a[0] is string s)
        {
            var runes = s.EnumerateRunes().ToArray();
            Array.Reverse(runes);
            var builder = new StringBuilder(s.Length);
            foreach (var rune in runes)
            {
                builder.Append(rune.ToString());
            }
            return builder.ToString();
        }
        var list = new List<object?>((List<object?>)a[0]!);
        list.Reverse();
        return list;
    }

    private static int CompareKeys(object? x, object? y) =>
        x is double a ? a.CompareTo((double)y!) : JmesValue.CompareStrings((string)x!, (string)y!);

    private static object? Extreme(List<object?> list, bool max)
    {
        if (list.Count == 0)
        {
            return null;
        }
        var best = list[0];
        foreach (var candidate in list.Skip(1))
        {
            var c = CompareKeys(candidate, best);
            if (max ? c > 0 : c < 0)
            {
                best = candidate;
            }
        }
        return best;
    }

    private static object? Sorted(List<object?> list) => list.Order(Comparer<object?>.Create(CompareKeys)).ToList();

    /// <summary>The key of each element by the expression: all numbers or all strings, else a type error.</summary>
    private static object?[] Keys(List<object?> list, ExpressionReference reference, string function)
    {
        var keys = new object?[list.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = JmesInterpreter.Evaluate(reference.Expression, list[i]);
            var ok = keys[i] is double ? keys[0] is double : keys[i] is string && keys[0] is string;
            if (!ok)
            {
                throw new JmesPathError(JmesPathErrorKind.InvalidType,
                    $"Invalid type in {function}(): the expression must give all numbers or all strings, got {JmesValue.TypeName(keys[i])}");
            }
        }
        return keys;
    }

    private static object? ExtremeBy(object?[] a, string function, bool max)
    {
        var list = (List<object?>)a[0]!;
        if (list.Count == 0)
        {
            return null;
        }
        var keys = Keys(list, (ExpressionReference)a[1]!, function);
        var best = 0;
        for (var i = 1; i < keys.Length; i++)
        {
            var c = CompareKeys(keys[i], keys[best]);
            if (max ? c > 0 : c < 0)
            {
                best = i;
            }
        }
        return list[best];
    }

    private static object? SortBy(object?[] a)
    {
        var list = (List<object?>)a[0]!;
        var keys = Keys(list, (ExpressionReference)a[1]!, "sort_by");
        return Enumerable.Range(0, list.Count)
            .Order(Comparer<int>.Create((x, y) => CompareKeys(keys[x], keys[y])))
            .Select(i => list[i])
            .ToList();
    }

    /// <summary>Numbers stay, strings in Go's decimal float syntax become numbers, the rest (and numbers out of range) null.</summary>
    private static object? ToNumber(object? value)
    {
        switch (value)
        {
            case double:
                return value;
            case string s when IsDecimal(s)
                && double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number)
                && double.IsFinite(number):
                return number;
            default:
                return null;
        }
    }

    private static bool IsDecimal(string s)
    {
        var i = 0;
        if (i < s.Length && s[i] is '+' or '-')
        {
            i++;
        }
        var digits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
            digits++;
        }
        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
                digits++;
            }
        }
        if (digits == 0)
        {
            return false;
        }
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-')
            {
                i++;
            }
            var exponent = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
                exponent++;
            }
            if (exponent == 0)
            {
                return false;
            }
        }
        return i == s.Length;
    }
}
