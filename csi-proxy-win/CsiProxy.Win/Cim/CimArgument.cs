namespace CsiProxy.Win.Cim;

/// <summary>One in-parameter of a CIM method call. A secret value is passed on but never rendered.</summary>
public sealed record CimArgument(string Name, object Value, bool IsSecret = false)
{
    public override string ToString() => IsSecret ? $"{Name}=<redacted>" : $"{Name}={Value}";
}
