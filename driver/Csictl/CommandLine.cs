using Csi.Common.Flags;

namespace Csictl;

/// <summary>Parsed arguments: the command and the flags given, by name, read with the suite's one flag parser (Go syntax).</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    private CommandLine()
    {
    }

    public CommandSpec? Command { get; private set; }

    public bool Help { get; private set; }

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var line = new CommandLine();

        // Global flags come before the command; the command's own flags (and the global ones again) after it.
        var rest = line.ParseFlags(args, null);
        if (rest.Count == 0)
        {
            return line;
        }
        line.Command = Commands.Find(rest[0]) ?? throw new UsageException($"unknown command '{rest[0]}'", null);
        var extra = line.ParseFlags(rest.Skip(1).ToArray(), line.Command);
        if (extra.Count > 0)
        {
            throw new UsageException($"unexpected argument '{extra[0]}'", line.Command);
        }
        return line;
    }

    public string? Value(string name) => _values.TryGetValue(name, out var values) ? values[^1] : null;

    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var values) ? values : [];

    public bool Switch(string name) => Value(name) is { } value && bool.Parse(value);

    public string Required(string name) =>
        Value(name) is { Length: > 0 } value ? value : throw new UsageException($"missing required flag --{name}", Command);

    /// <summary>Repeated <c>key=value</c> flags as a map; a later key overrides an earlier one.</summary>
    public Dictionary<string, string> Pairs(string name)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in Values(name))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"flag --{name} takes key=value, not '{item}'", Command);
            }

            pairs[item[..equals]] = item[(equals + 1)..];
        }

        return pairs;
    }

    private IReadOnlyList<string> ParseFlags(IReadOnlyList<string> args, CommandSpec? command)
    {
        var flags = new FlagSet("csictl") { ApplyDefaults = false };
        flags.AddBool("help", false, "show help", help => Help |= help);
        flags.AddBool("h", false, "show help", help => Help |= help);
        foreach (var flag in Commands.GlobalFlags.Concat(command?.Flags ?? []))
        {
            var name = flag.Name;
            if (flag.Kind == FlagKind.Switch)
            {
                flags.AddBool(name, false, flag.Help, on => Add(name, on ? "true" : "false"));
            }
            else
            {
                // The shared parser calls the setter for each occurrence: Value reads the last, Values all of them.
                flags.AddString(name, string.Empty, flag.Help, value => Add(name, value));
            }
        }
        try
        {
            flags.Parse(args);
        }
        catch (FlagException e)
        {
            var message = command is not null && e.Message.StartsWith("unknown flag", StringComparison.Ordinal)
                ? $"{e.Message.Split(':')[0]} for {command.Name}"
                : e.Message;
            throw new UsageException(message, command);
        }
        return flags.Remaining;
    }

    private void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var values))
        {
            _values[name] = values = [];
        }

        values.Add(value);
    }
}
