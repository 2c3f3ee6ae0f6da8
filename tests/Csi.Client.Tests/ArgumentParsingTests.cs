using Csictl;

namespace Csi.Client.Tests;

public class ArgumentParsingTests
{
    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Program.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("--nope", "publish", "--nope")]
    [InlineData("publish", "--volume-id", "--volume-id")]
    [InlineData("publish", "--target-path=/x", "--volume-id")]
    [InlineData("publish", "--volume-id=v", "--target-path")]
    [InlineData("publish", "--volume-id=v --target-path=/x --attrib=novalue", "--attrib")]
    [InlineData("publish", "--volume-id=v --target-path=/x --secret =x", "--secret")]
    [InlineData("publish", "--volume-id=v --target-path=/x --token aud", "--token")]
    [InlineData("publish", "--volume-id=v --target-path=/x --access-mode=sometimes", "--access-mode")]
    [InlineData("publish", "--volume-id=v --target-path=/x --readonly=maybe", "--readonly")]
    [InlineData("identity", "--timeout 30", "--timeout")]
    [InlineData("identity", "--timeout=-1s", "--timeout")]
    [InlineData("identity", "--timeout=0", "--timeout")]
    [InlineData("identity", "--timeout=1x", "--timeout")]
    [InlineData("identity", "--endpoint=nowhere", "--endpoint")]
    [InlineData("identity", "--volume-id=v", "--volume-id")]
    [InlineData("unpublish", "--volume-id v", "--target-path")]
    public async Task A_bad_flag_exits_2_and_names_the_flag(string command, string flags, string named)
    {
        var (code, stdout, stderr) = await RunAsync([command, .. flags.Split(' ')]);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(named, stderr);
        Assert.Contains("usage: csictl", stderr);
    }

    [Theory]
    [InlineData("frob")]
    [InlineData("identity extra")]
    [InlineData("")]
    public async Task A_bad_command_exits_2(string args)
    {
        var (code, _, stderr) = await RunAsync(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains("usage: csictl", stderr);
    }

    [Fact]
    public async Task Help_lists_the_commands_and_exits_0()
    {
        var (code, stdout, stderr) = await RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Empty(stderr);
        Assert.Contains("identity", stdout);
        Assert.Contains("node-info", stdout);
        Assert.Contains("unpublish", stdout);
    }

    [Fact]
    public async Task Command_help_lists_its_flags_and_exits_0()
    {
        var (code, stdout, _) = await RunAsync("publish", "-h");

        Assert.Equal(0, code);
        Assert.Contains("--tokens-in-secrets", stdout);
        Assert.Contains("--mount-flag", stdout);
        Assert.Contains("--endpoint", stdout);
    }
}
