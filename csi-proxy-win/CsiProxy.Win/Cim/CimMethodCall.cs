namespace CsiProxy.Win.Cim;

/// <summary>
/// A CIM method to invoke, on an instance of <paramref name="ClassName"/> or, when <paramref name="IsStatic"/>,
/// on the class itself. Built by <see cref="CimCalls"/> from validated values; the Windows host only executes it.
/// </summary>
public sealed record CimMethodCall(string Namespace, string ClassName, string MethodName, IReadOnlyList<CimArgument> Arguments, bool IsStatic = false)
{
    public override string ToString() => $"{ClassName}.{MethodName}({string.Join(", ", Arguments)})";
}
