using Csi.Common.Flags;

namespace Csi.ProviderHost.Tests;

public class ProviderHostOptionsTests
{
    [Fact]
    public void SocketPath_DefaultsToProviderVolumeAndName_EndpointWins()
    {
        var provider = new FakeProvider();
        Assert.Equal("/var/run/secrets-store-csi-providers/fake.sock", ProviderHostOptions.Parse(provider, []).SocketPath("fake"));
        Assert.Equal("/provider/fake.sock", ProviderHostOptions.Parse(provider, ["--provider-volume=/provider"]).SocketPath("fake"));
        Assert.Equal("/tmp/x.sock", ProviderHostOptions.Parse(provider, ["-endpoint", "unix:///tmp/x.sock"]).SocketPath("fake"));
        Assert.Equal("/tmp/y.sock", ProviderHostOptions.Parse(provider, ["--endpoint=/tmp/y.sock"]).SocketPath("fake"));
    }

    [Fact]
    public void Parse_TakesTheProvidersOwnFlags()
    {
        var provider = new FakeProvider();
        ProviderHostOptions.Parse(provider, ["--region", "us"]);
        Assert.Equal("us", provider.Region);
        Assert.Contains("--region", ProviderHostOptions.Usage(provider), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--endpoint=tcp://1.2.3.4:1", "--endpoint:")]
    [InlineData("--health-addr=nope", "--health-addr: \"nope\" is not [host]:port")]
    [InlineData("--metrics-addr=1.2.3.4", "--metrics-addr: \"1.2.3.4\" is not [host]:port")]
    [InlineData("--fetch-concurrency=0", "--fetch-concurrency: must be between 1 and 1000")]
    [InlineData("--region=mars", "--region: mars is not a region")]
    [InlineData("--bogus", "unknown flag --bogus")]
    public void Parse_Bad_NamesTheFlag(string arg, string expected)
    {
        var error = Assert.Throws<FlagException>(() => ProviderHostOptions.Parse(new FakeProvider(), [arg]));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
