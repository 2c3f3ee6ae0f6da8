using Csi.Common.Flags;

namespace Csi.Common.Tests;

public class GoDurationTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("2m", 120_000)]
    [InlineData("30s", 30_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("300ms", 300)]
    [InlineData("-2s", -2_000)]
    [InlineData("1m0.5s", 60_500)]
    public void TryParse_AcceptsGoSyntax(string text, double milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(milliseconds, value.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("2x")]
    [InlineData("m")]
    [InlineData("1h-2m")]
    [InlineData("--1s")]
    public void TryParse_RejectsWhatGoRejects(string text)
        => Assert.False(GoDuration.TryParse(text, out _));

    [Theory]
    [InlineData(120_000, "2m0s")]
    [InlineData(30_000, "30s")]
    [InlineData(5_400_000, "1h30m0s")]
    [InlineData(250, "250ms")]
    [InlineData(0, "0s")]
    public void Format_WritesWhatGoWrites(double milliseconds, string expected)
        => Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
}
