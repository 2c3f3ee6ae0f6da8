using Csi.Common.Flags;

namespace Csi.Common.Tests;

public sealed class CommandLineEntryTests
{
    private sealed class Options
    {
        public bool Help { get; set; }

        public string Name { get; set; } = string.Empty;
    }

    private static (Options? Options, int? Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var (options, exit) = CommandLineEntry.Parse("prog", () =>
        {
            var o = new Options();
            var flags = new FlagSet("prog");
            flags.AddBool("help", false, "help", v => o.Help = v);
            flags.AddString("name", string.Empty, "a name", v => o.Name = v);
            flags.ParseFlagsOnly(args);
            return o;
        }, o => o.Help ? "usage\n" : null, stdout, stderr);
        return (options, exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void GoodFlags_GoOnWithTheOptions()
    {
        var (options, exit, stdout, stderr) = Run("--name=x");

        Assert.Equal(("x", null, "", ""), (options?.Name, exit, stdout, stderr));
    }

    [Theory]
    [InlineData("--nope", "prog: unknown flag --nope")]
    [InlineData("stray", "prog: unexpected argument \"stray\": flags take the form --name=value")]
    public void ABadFlagOrAPositionalArgument_PrintsOneLineNamingIt_AndExits2(string arg, string line)
    {
        var (options, exit, stdout, stderr) = Run(arg);

        Assert.Null(options);
        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.StartsWith(line, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Help_PrintsAndExits0()
    {
        var (options, exit, stdout, stderr) = Run("--help");

        Assert.Equal((null, 0, "usage\n", ""), (options, exit, stdout, stderr));
    }
}
