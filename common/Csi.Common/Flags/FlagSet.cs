using System.Globalization;
using System.Text;

namespace Csi.Common.Flags;

/// <summary>
/// Command-line flags with Go's flag package semantics, so the same arguments that start an upstream
/// binary start ours: one or two dashes, "--name=value" or "--name value", booleans as "--name" or
/// "--name=false". Each flag binds to a setter; a bad value throws <see cref="FlagException"/> naming it.
/// </summary>
public sealed class FlagSet
{
    private readonly Dictionary<string, Flag> _flags = new(StringComparer.Ordinal);
    private readonly string _program;

    public FlagSet(string program)
    {
        _program = program;
    }

    public IReadOnlyList<string> Remaining { get; private set; } = [];

    /// <summary>
    /// Whether <see cref="Parse"/> first calls every setter with its default (true, as Go's flag package leaves each
    /// variable at its default). A command line parsed in several passes (global flags, then a sub-command's) turns it
    /// off so that only the flags given reach the setters; a flag given more than once reaches its setter each time.
    /// </summary>
    public bool ApplyDefaults { get; set; } = true;

    public void AddString(string name, string defaultValue, string usage, Action<string> set)
        => Add(name, defaultValue, usage, isBool: false, set);

    public void AddBool(string name, bool defaultValue, string usage, Action<bool> set)
        => Add(name, defaultValue ? "true" : "false", usage, isBool: true, value =>
        {
            if (!GoBool.TryParse(value, out var parsed))
            {
                throw new FlagException($"--{name}: invalid boolean \"{value}\": use true or false");
            }
            set(parsed);
        });

    public void AddInt(string name, long defaultValue, string usage, Action<long> set)
        => Add(name, defaultValue.ToString(CultureInfo.InvariantCulture), usage, isBool: false, value =>
        {
            if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                throw new FlagException($"--{name}: invalid integer \"{value}\"");
            }
            set(parsed);
        });

    public void AddDuration(string name, TimeSpan defaultValue, string usage, Action<TimeSpan> set)
        => Add(name, GoDuration.Format(defaultValue), usage, isBool: false, value =>
        {
            if (!GoDuration.TryParse(value, out var parsed))
            {
                throw new FlagException($"--{name}: invalid duration \"{value}\": use a number with a unit, like 30s, 2m or 1h30m");
            }
            set(parsed);
        });

    /// <summary>Applies defaults, then the arguments. Arguments after "--" or the first non-flag are left in <see cref="Remaining"/>.</summary>
    public void Parse(IReadOnlyList<string> args)
    {
        if (ApplyDefaults)
        {
            foreach (var flag in _flags.Values)
            {
                flag.Set(flag.DefaultValue);
            }
        }

        var index = 0;
        while (index < args.Count)
        {
            var arg = args[index];
            if (arg == "--")
            {
                index++;
                break;
            }
            if (arg.Length < 2 || arg[0] != '-')
            {
                break;
            }

            var body = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            string? value = null;
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = body[(equals + 1)..];
                body = body[..equals];
            }

            if (!_flags.TryGetValue(body, out var flag))
            {
                throw new FlagException($"unknown flag --{body}: run {_program} --help for the list of flags");
            }
            if (value is null)
            {
                if (flag.IsBool)
                {
                    value = "true";
                }
                else if (index + 1 < args.Count)
                {
                    value = args[++index];
                }
                else
                {
                    throw new FlagException($"--{body}: needs a value");
                }
            }
            flag.Set(value);
            index++;
        }

        Remaining = args.Skip(index).ToArray();
    }

    /// <summary>Parses a binary's whole command line: flags only, as upstream's binaries take them; anything else is a <see cref="FlagException"/>.</summary>
    public void ParseFlagsOnly(IReadOnlyList<string> args)
    {
        Parse(args);
        if (Remaining.Count > 0)
        {
            throw new FlagException($"unexpected argument \"{Remaining[0]}\": flags take the form --name=value");
        }
    }

    public string Usage()
    {
        var builder = new StringBuilder();
        builder.Append("Usage: ").Append(_program).AppendLine(" [flags]");
        foreach (var flag in _flags.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            builder.Append("  --").Append(flag.Name);
            if (!flag.IsBool)
            {
                builder.Append(" value");
            }
            builder.AppendLine();
            builder.Append("        ").Append(flag.UsageText);
            if (flag.DefaultValue.Length > 0 && flag.DefaultValue != "false")
            {
                builder.Append(" (default ").Append(flag.DefaultValue).Append(')');
            }
            builder.AppendLine();
        }
        return builder.ToString();
    }

    private void Add(string name, string defaultValue, string usage, bool isBool, Action<string> set)
        => _flags.Add(name, new Flag(name, defaultValue, usage, isBool, set));

    private sealed record Flag(string Name, string DefaultValue, string UsageText, bool IsBool, Action<string> Set);
}
