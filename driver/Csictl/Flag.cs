namespace Csictl;

internal sealed record Flag(string Name, FlagKind Kind, string Help, string ValueName = "")
{
    public string Synopsis => Kind == FlagKind.Switch ? $"--{Name}" : $"--{Name} {ValueName}";
}
