using System.Runtime.CompilerServices;

namespace Csi.Providers.Aws.JmesPath;

/// <summary>Evaluates a compiled expression against a value (see <see cref="JmesValue"/> for the value model).</summary>
internal static class JmesInterpreter
{
    public static object? Evaluate(JmesNode node, object? value)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (node)
        {
            case CurrentNode:
                return value;
            case FieldNode field:
                return value is Dictionary<string, object?> map && map.TryGetValue(field.Name, out var member) ? member : null;
            case ChainNode chain:
                return Evaluate(chain.Right, Evaluate(chain.Left, value));
            case IndexNode index:
                if (value is not List<object?> indexed)
                {
                    return null;
                }
                var at = index.Index < 0 ? indexed.Count + index.Index : index.Index;
                return at >= 0 && at < indexed.Count ? indexed[at] : null;
            case SliceNode slice:
                return value is List<object?> sliced ? Slice(sliced, slice) : null;
            case ListProjectionNode projection:
                return Evaluate(projection.Left, value) is List<object?> elements ? Project(elements, projection.Right) : null;
            case ValueProjectionNode projection:
                return Evaluate(projection.Left, value) is Dictionary<string, object?> members ? Project(members.Values, projection.Right) : null;
            case FilterProjectionNode filter:
                if (Evaluate(filter.Left, value) is not List<object?> candidates)
                {
                    return null;
                }
                var kept = new List<object?>();
                foreach (var candidate in candidates)
                {
                    if (JmesValue.IsTruthy(Evaluate(filter.Condition, candidate)) && Evaluate(filter.Right, candidate) is { } result)
                    {
                        kept.Add(result);
                    }
                }
                return kept;
            case FlattenNode flatten:
                if (Evaluate(flatten.Child, value) is not List<object?> nested)
                {
                    return null;
                }
                var flat = new List<object?>(nested.Count);
                foreach (var element in nested)
                {
                    if (element is List<object?> inner)
                    {
                        flat.AddRange(inner);
                    }
                    else
                    {
                        flat.Add(element);
                    }
                }
                return flat;
            case ComparatorNode comparison:
                return Compare(comparison.Operator, Evaluate(comparison.Left, value), Evaluate(comparison.Right, value));
            case OrNode or:
                var either = Evaluate(or.Left, value);
                return JmesValue.IsTruthy(either) ? either : Evaluate(or.Right, value);
            case AndNode and:
                var both = Evaluate(and.Left, value);
                return JmesValue.IsTruthy(both) ? Evaluate(and.Right, value) : both;
            case NotNode not:
                return !JmesValue.IsTruthy(Evaluate(not.Child, value));
            case LiteralNode literal:
                return literal.Value;
            case MultiSelectListNode list:
                if (value is null)
                {
                    return null;
                }
                var items = new List<object?>(list.Items.Count);
                foreach (var item in list.Items)
                {
                    items.Add(Evaluate(item, value));
                }
                return items;
            case MultiSelectHashNode hash:
                if (value is null)
                {
                    return null;
                }
                var built = new Dictionary<string, object?>(hash.Items.Count, StringComparer.Ordinal);
                foreach (var (key, item) in hash.Items)
                {
                    built[key] = Evaluate(item, value);
                }
                return built;
            case ExpressionReferenceNode reference:
                return new ExpressionReference(reference.Expression);
            case FunctionNode function:
                var arguments = new object?[function.Arguments.Count];
                for (var i = 0; i < arguments.Length; i++)
                {
                    arguments[i] = Evaluate(function.Arguments[i], value);
                }
                return JmesFunctions.Call(function.Name, arguments);
            default:
                throw new JmesPathError(JmesPathErrorKind.Syntax, "Unknown expression node");
        }
    }

    private static List<object?> Project(IEnumerable<object?> elements, JmesNode right)
    {
        var results = new List<object?>();
        foreach (var element in elements)
        {
            if (Evaluate(right, element) is { } result)
            {
                results.Add(result);
            }
        }
        return results;
    }

    /// <summary>Equality for any two values; ordering only between two numbers, null otherwise.</summary>
#pragma warning disable CA1859 // Null (not false) when an ordering compares anything but two numbers.
    private static object? Compare(Comparator op, object? left, object? right)
    {
        switch (op)
        {
            case Comparator.Eq:
                return JmesValue.DeepEquals(left, right);
            case Comparator.Ne:
                return !JmesValue.DeepEquals(left, right);
            default:
                if (left is not double a || right is not double b)
                {
                    return null;
                }
                return op switch
                {
                    Comparator.Lt => a < b,
                    Comparator.Lte => a <= b,
                    Comparator.Gt => a > b,
                    _ => a >= b,
                };
        }
    }
#pragma warning restore CA1859

    /// <summary>Python's slice rules: bounds clamped to the array, negative bounds from the end, negative steps backwards.</summary>
    private static List<object?> Slice(List<object?> array, SliceNode slice)
    {
        var step = slice.Step ?? 1;
        if (step == 0)
        {
            throw new JmesPathError(JmesPathErrorKind.InvalidValue, "Invalid slice: the step cannot be 0");
        }
        var length = array.Count;
        var start = slice.Start is { } s ? Bound(s, length, step) : step > 0 ? 0 : length - 1;
        var stop = slice.Stop is { } e ? Bound(e, length, step) : step > 0 ? length : -1;
        var result = new List<object?>();
        if (step > 0)
        {
            for (var i = start; i < stop; i += step)
            {
                result.Add(array[i]);
            }
        }
        else
        {
            for (var i = start; i > stop; i += step)
            {
                result.Add(array[i]);
            }
        }
        return result;
    }

    private static int Bound(int bound, int length, int step)
    {
        if (bound < 0)
        {
            bound += length;
            return bound < 0 ? (step < 0 ? -1 : 0) : bound;
        }
        return bound >= length ? (step < 0 ? length - 1 : length) : bound;
    }
}
