namespace Csi.Common.Flags;

/// <summary>
/// The first step of every binary's Main: parse the flags; a bad flag prints one line naming it and exits 2;
/// <c>--help</c> and <c>--version</c> print and exit 0; otherwise the parsed options go on.
/// </summary>
public static class CommandLineEntry
{
    /// <param name="program">The binary's name, which starts the error line.</param>
    /// <param name="parse">Parses and validates; throws <see cref="FlagException"/> for a bad flag.</param>
    /// <param name="immediateOutput">What to print and exit 0 for (help text, version), or null to run.</param>
    /// <param name="stdout">Where help and version go.</param>
    /// <param name="stderr">Where the bad-flag line goes.</param>
    /// <returns>The options to run with, or the exit code when the process ends here.</returns>
    public static (T? Options, int? ExitCode) Parse<T>(string program, Func<T> parse, Func<T, string?> immediateOutput, TextWriter stdout, TextWriter stderr)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(immediateOutput);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        T options;
        try
        {
            options = parse();
        }
        catch (FlagException e)
        {
            stderr.WriteLine($"{program}: {e.Message}");
            return (null, 2);
        }
        if (immediateOutput(options) is { } output)
        {
            stdout.Write(output);
            return (null, 0);
        }
        return (options, null);
    }
}
