using Csi.Provisioner.Provisioning;

namespace Csi.Provisioner.Tests.Unit;

public class QuantityTests
{
    [Theory]
    [InlineData("1Gi", 1073741824L)]
    [InlineData("10Mi", 10485760L)]
    [InlineData("1G", 1000000000L)]
    [InlineData("500M", 500000000L)]
    [InlineData("1024", 1024L)]
    [InlineData("1e3", 1000L)]
    [InlineData("1.5Gi", 1610612736L)]
    [InlineData("1500m", 2L)]
    public void TryParseBytes_ReadsKubernetesQuantities(string text, long bytes)
    {
        Assert.True(Quantity.TryParseBytes(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ten")]
    [InlineData("-1Gi")]
    [InlineData("1Qi")]
    public void TryParseBytes_RefusesWhatIsNotAQuantity(string text) => Assert.False(Quantity.TryParseBytes(text, out _));

    [Theory]
    [InlineData(1073741824L, "1Gi")]
    [InlineData(1000L, "1000")]
    [InlineData(3145728L, "3Mi")]
    [InlineData(0L, "0")]
    public void FormatBytes_WritesTheLargestExactBinaryUnit(long bytes, string text) => Assert.Equal(text, Quantity.FormatBytes(bytes));
}
