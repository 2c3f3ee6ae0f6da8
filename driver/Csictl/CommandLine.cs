namespace Csictl;

/// <summary>Parsed arguments: the command and the flags given, by name. Accepts <c>--name=value</c> and <c>--name value</c>.</summary>
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
        var line = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                line.Help = true;
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var equals = arg.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? arg[2..] : arg[2..equals];
                var inline = equals < 0 ? null : arg[(equals + 1)..];
                var flag = line.FindFlag(name)
                    ?? throw new UsageException($"unknown flag --{name}{(line.Command is null ? "" : $" for {line.Command.Name}")}", line.Command);
                if (flag.Kind == FlagKind.Switch)
                {
                    if (inline is not null && !bool.TryParse(inline, out _))
                    {
                        throw new UsageException($"flag --{name} takes true or false, not '{inline}'", line.Command);
                    }

                    line.Add(name, inline ?? "true");
                }
                else if (inline is not null)
                {
                    line.Add(name, inline);
                }
                else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    line.Add(name, args[++i]);
                }
                else
                {
                    throw new UsageException($"flag --{name} needs a value", line.Command);
                }
            }
            else if (line.Command is null)
            {
                line.Command = Commands.Find(arg) ?? throw new UsageException($"unknown command '{arg}'", null);
            }
            else
            {
                throw new UsageException($"unexpected argument '{arg}'", line.Command);
            }
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

    private Flag? FindFlag(string name) =>
        Commands.GlobalFlags.FirstOrDefault(f => f.Name == name)
        ?? Command?.Flags.FirstOrDefault(f => f.Name == name);

    private void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var values))
        {
            _values[name] = values = [];
        }

        values.Add(value);
    }
}
