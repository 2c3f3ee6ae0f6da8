using Csi.Common.Flags;

namespace Csi.Common.Tests;

public class FlagSetTests
{
    private sealed class Settings
    {
        public string Endpoint { get; set; } = string.Empty;

        public bool Rotation { get; set; }

        public long Size { get; set; }

        public TimeSpan Interval { get; set; }
    }

    private static (FlagSet Flags, Settings Settings) Define()
    {
        var settings = new Settings();
        var flags = new FlagSet("prog");
        flags.AddString("endpoint", "unix:///tmp/csi.sock", "endpoint", v => settings.Endpoint = v);
        flags.AddBool("enable-secret-rotation", false, "rotation", v => settings.Rotation = v);
        flags.AddInt("max-call-recv-msg-size", 4194304, "size", v => settings.Size = v);
        flags.AddDuration("rotation-poll-interval", TimeSpan.FromMinutes(2), "interval", v => settings.Interval = v);
        return (flags, settings);
    }

    [Fact]
    public void Parse_WithNoArguments_AppliesDefaults()
    {
        var (flags, settings) = Define();
        flags.Parse([]);
        Assert.Equal("unix:///tmp/csi.sock", settings.Endpoint);
        Assert.False(settings.Rotation);
        Assert.Equal(4194304, settings.Size);
        Assert.Equal(TimeSpan.FromMinutes(2), settings.Interval);
    }

    [Fact]
    public void Parse_AcceptsGoForms_OneOrTwoDashes_EqualsOrSeparateValue()
    {
        var (flags, settings) = Define();
        flags.Parse(["-endpoint", "unix:///a.sock", "--enable-secret-rotation", "--max-call-recv-msg-size=10", "-rotation-poll-interval=30s"]);
        Assert.Equal("unix:///a.sock", settings.Endpoint);
        Assert.True(settings.Rotation);
        Assert.Equal(10, settings.Size);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Interval);
    }

    [Theory]
    [InlineData("--enable-secret-rotation=false", false)]
    [InlineData("--enable-secret-rotation=true", true)]
    [InlineData("--enable-secret-rotation=1", true)]
    [InlineData("--enable-secret-rotation=f", false)]
    public void Parse_BoolTakesGoSpellings(string arg, bool expected)
    {
        var (flags, settings) = Define();
        flags.Parse([arg]);
        Assert.Equal(expected, settings.Rotation);
    }

    [Theory]
    [InlineData("--nope=1", "unknown flag --nope")]
    [InlineData("--rotation-poll-interval=2x", "--rotation-poll-interval: invalid duration \"2x\"")]
    [InlineData("--max-call-recv-msg-size=big", "--max-call-recv-msg-size: invalid integer \"big\"")]
    [InlineData("--enable-secret-rotation=maybe", "--enable-secret-rotation: invalid boolean \"maybe\"")]
    [InlineData("--endpoint", "--endpoint: needs a value")]
    public void Parse_BadInput_NamesTheFlag(string arg, string expected)
    {
        var (flags, _) = Define();
        var error = Assert.Throws<FlagException>(() => flags.Parse([arg]));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_StopsAtFirstNonFlag_AndKeepsTheRest()
    {
        var (flags, settings) = Define();
        flags.Parse(["--endpoint=x", "serve", "--other"]);
        Assert.Equal("x", settings.Endpoint);
        Assert.Equal(["serve", "--other"], flags.Remaining);
    }

    [Fact]
    public void Usage_ListsEveryFlagWithItsDefault()
    {
        var (flags, _) = Define();
        var usage = flags.Usage();
        Assert.Contains("--rotation-poll-interval value", usage, StringComparison.Ordinal);
        Assert.Contains("(default 2m0s)", usage, StringComparison.Ordinal);
        Assert.Contains("--enable-secret-rotation\n", usage.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WithoutDefaults_CallsSettersOnlyForTheFlagsGiven_EachTime()
    {
        var seen = new List<string>();
        var flags = new FlagSet("t") { ApplyDefaults = false };
        flags.AddString("attrib", "unused-default", "repeatable", seen.Add);
        flags.AddBool("json", false, "switch", on => seen.Add("json=" + on));

        flags.Parse(["--attrib", "a=1", "-attrib=b=2", "--json", "cmd", "--attrib", "c"]);

        Assert.Equal(["a=1", "b=2", "json=True"], seen);
        Assert.Equal(["cmd", "--attrib", "c"], flags.Remaining);
    }
}
