namespace Csictl;

internal sealed record CommandSpec(
    string Name,
    string Summary,
    string Arguments,
    IReadOnlyList<Flag> Flags,
    Func<CommandContext, Task> RunAsync)
{
    public string Usage => $"usage: csictl [global flags] {Name}{(Arguments.Length > 0 ? " " + Arguments : "")}";
}
