namespace Csictl;

/// <summary>Every command csictl knows, and the flags they all share.</summary>
internal static class Commands
{
    public const string DefaultEndpoint = "unix:///tmp/csi.sock";
    public const string DefaultTimeout = "30s";

    public static IReadOnlyList<Flag> GlobalFlags { get; } =
    [
        new("endpoint", FlagKind.Value, $"CSI endpoint (default $CSI_ENDPOINT, else {DefaultEndpoint})", "ENDPOINT"),
        new("timeout", FlagKind.Value, $"deadline for the whole command, e.g. 10s, 2m (default {DefaultTimeout})", "DURATION"),
        new("json", FlagKind.Switch, "print responses as protobuf JSON"),
    ];

    public static IReadOnlyList<CommandSpec> All { get; } =
    [
        IdentityCommand.Spec,
        NodeInfoCommand.Spec,
        StageCommands.Stage,
        PublishCommand.Spec,
        UnpublishCommand.Spec,
        StageCommands.Unstage,
        StageCommands.ControllerExpand,
        StageCommands.NodeExpand,
    ];

    public static CommandSpec? Find(string name) => All.FirstOrDefault(c => c.Name == name);

    public static string Usage => "usage: csictl [--endpoint ENDPOINT] [--timeout DURATION] [--json] <command> [flags]";

    public static void WriteHelp(TextWriter writer, CommandSpec? command)
    {
        if (command is null)
        {
            writer.WriteLine(Usage);
            writer.WriteLine();
            writer.WriteLine("commands:");
            WriteTable(writer, All.Select(c => (c.Name, c.Summary)));
        }
        else
        {
            writer.WriteLine(command.Usage);
            writer.WriteLine();
            writer.WriteLine(command.Summary);
            if (command.Flags.Count > 0)
            {
                writer.WriteLine();
                writer.WriteLine("flags:");
                WriteTable(writer, command.Flags.Select(f => (f.Synopsis, f.Help)));
            }
        }

        writer.WriteLine();
        writer.WriteLine("global flags:");
        WriteTable(writer, GlobalFlags.Select(f => (f.Synopsis, f.Help)));
        writer.WriteLine();
        writer.WriteLine("exit codes: 0 ok, 1 the call failed, 2 bad usage");
    }

    private static void WriteTable(TextWriter writer, IEnumerable<(string Left, string Right)> rows)
    {
        var list = rows.ToList();
        var width = list.Max(r => r.Left.Length);
        foreach (var (left, right) in list)
        {
            writer.WriteLine($"  {left.PadRight(width)}  {right}");
        }
    }
}
