namespace Csictl;

internal enum FlagKind
{
    /// <summary>Boolean: <c>--x</c> or <c>--x=false</c>; never takes the next argument.</summary>
    Switch,

    /// <summary>Takes a value; the last one given wins.</summary>
    Value,

    /// <summary>Takes a value; every occurrence is kept.</summary>
    Repeated,
}
