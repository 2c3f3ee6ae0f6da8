namespace Csi.Providers.Aws.JmesPath;

/// <summary>A node of a compiled expression.</summary>
internal abstract record JmesNode;

/// <summary><c>@</c>, and the implicit right side of a projection that has none.</summary>
internal sealed record CurrentNode : JmesNode
{
    public static readonly CurrentNode Instance = new();
}

/// <summary><c>name</c> or <c>"name"</c>: the member of an object, null for anything else.</summary>
internal sealed record FieldNode(string Name) : JmesNode;

/// <summary><c>left.right</c>, <c>left[0]</c> and <c>left | right</c>: the right side evaluated against the left's result.</summary>
internal sealed record ChainNode(JmesNode Left, JmesNode Right, bool IsPipe) : JmesNode;

/// <summary><c>[n]</c>: an element of an array, counted from the end when negative.</summary>
internal sealed record IndexNode(int Index) : JmesNode;

/// <summary><c>[start:stop:step]</c> of an array.</summary>
internal sealed record SliceNode(int? Start, int? Stop, int? Step) : JmesNode;

/// <summary><c>left[*].right</c>, <c>left[].right</c>, <c>left[1:].right</c>: the right side for each element of the left's array, nulls dropped.</summary>
internal sealed record ListProjectionNode(JmesNode Left, JmesNode Right) : JmesNode;

/// <summary><c>left.*.right</c>: the right side for each value of the left's object, nulls dropped.</summary>
internal sealed record ValueProjectionNode(JmesNode Left, JmesNode Right) : JmesNode;

/// <summary><c>left[?condition].right</c>: the right side for each element of the left's array the condition holds for.</summary>
internal sealed record FilterProjectionNode(JmesNode Left, JmesNode Condition, JmesNode Right) : JmesNode;

/// <summary><c>[]</c>: the child's array with nested arrays spliced in one level deep.</summary>
internal sealed record FlattenNode(JmesNode Child) : JmesNode;

internal enum Comparator
{
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
}

internal sealed record ComparatorNode(Comparator Operator, JmesNode Left, JmesNode Right) : JmesNode;

internal sealed record OrNode(JmesNode Left, JmesNode Right) : JmesNode;

internal sealed record AndNode(JmesNode Left, JmesNode Right) : JmesNode;

internal sealed record NotNode(JmesNode Child) : JmesNode;

internal sealed record LiteralNode(object? Value) : JmesNode;

internal sealed record MultiSelectListNode(IReadOnlyList<JmesNode> Items) : JmesNode;

internal sealed record MultiSelectHashNode(IReadOnlyList<KeyValuePair<string, JmesNode>> Items) : JmesNode;

internal sealed record ExpressionReferenceNode(JmesNode Expression) : JmesNode;

internal sealed record FunctionNode(string Name, IReadOnlyList<JmesNode> Arguments) : JmesNode;
