using Csi.Common.Flags;
using LocalVolume.Driver.Pools;

namespace LocalVolume.Driver.Tests.Unit;

public sealed class DriverOptionsTests
{
    [Fact]
    public void Pools_AreParsedInOrder_TheFirstBeingTheDefault()
    {
        var options = DriverOptions.Parse([
            "--mode=controller", "--nodeid", "n1", "--endpoint", "unix:///tmp/x.sock",
            "--pool", "name=fast,dir=/var/lib/lv/fast,size=10Gi,layout=subvolume",
            "--pool", "name=images,dir=/var/lib/lv/images,size=512Mi,layout=image,fstype=xfs",
        ]);

        Assert.Equal(DriverMode.Controller, options.Mode);
        Assert.Equal(["fast", "images"], options.Pools.Select(p => p.Name));
        Assert.Equal(10L << 30, options.Pools[0].CapacityBytes);
        Assert.Equal(PoolLayout.Image, options.Pools[1].Layout);
        Assert.Equal("xfs", options.Pools[1].DefaultFileSystem);
        Assert.Equal("topology.local.csi.csi-suite.dev/node", options.TopologyKey);
    }

    [Theory]
    [InlineData("name=a,dir=relative,size=1Gi,layout=image", "absolute")]
    [InlineData("name=a,dir=/x,size=lots,layout=image", "size")]
    [InlineData("name=a,dir=/x,size=1Gi,layout=lvm", "layout")]
    [InlineData("name=A B,dir=/x,size=1Gi,layout=image", "name")]
    [InlineData("name=a,dir=/x,size=1Gi,layout=image,fstype=ntfs", "fstype")]
    [InlineData("name=a,dir=/x,size=1Gi,layout=subvolume,fstype=xfs", "image layout only")]
    [InlineData("name=a,dir=/x,size=1Gi", "missing layout")]
    [InlineData("name=a,dir=/x,size=1Gi,layout=image,colour=red", "unknown key")]
    public void BadPool_IsRefused_NamingTheFlagAndTheProblem(string pool, string why)
    {
        var error = Assert.Throws<FlagException>(() => DriverOptions.Parse(["--pool", pool]));

        Assert.StartsWith("--pool:", error.Message);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public void NoPool_IsRefused()
        => Assert.Contains("at least one pool", Assert.Throws<FlagException>(() => DriverOptions.Parse(["--nodeid", "n"])).Message);

    [Fact]
    public void TwoPoolsOnOneDirectory_AreRefused()
        => Assert.Contains("more than one pool", Assert.Throws<FlagException>(() => DriverOptions.Parse([
            "--pool", "name=a,dir=/x,size=1Gi,layout=image", "--pool", "name=b,dir=/x,size=1Gi,layout=image",
        ])).Message);

    [Fact]
    public void UnknownMode_IsRefused()
        => Assert.StartsWith("--mode:", Assert.Throws<FlagException>(() => DriverOptions.Parse(["--mode", "both"])).Message);

    [Fact]
    public void BadFlag_ExitsTwo_WithOneLineNamingTheFlag()
    {
        var (code, output, error) = Csi.Testing.Shell.TryRun(Fixtures.LocalDriver.Binary, "--pool", "name=a,dir=/x,size=0,layout=image");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("local-volume-csi-driver: --pool:", error);
    }
}
