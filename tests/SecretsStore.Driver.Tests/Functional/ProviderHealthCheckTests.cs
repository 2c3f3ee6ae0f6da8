using Csi.Testing;
using Microsoft.Extensions.Time.Testing;

namespace SecretsStore.Driver.Tests.Functional;

/// <summary>--provider-health-check on the driver's background loop, driven by a manual clock.</summary>
public sealed class ProviderHealthCheckTests
{
    [Fact]
    public async Task HealthCheck_LogsEveryProvidersAnswer_AtStartAndAtEachInterval()
    {
        var time = new FakeTimeProvider();
        await using var h = await DriverHarness.StartWithClockAsync(time, null, "--provider-health-check", "--provider-health-check-interval=1m");
        await Eventually.TrueAsync(() => Count(h, "ProviderHealthy") == 1, "the first round logged the test provider's answer");

        // A socket file nothing listens on: a provider that has gone away.
        File.WriteAllText(Path.Combine(h.Root, "providers", "gone.sock"), string.Empty);
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, Count(h, "ProviderUnhealthy"));
        time.Advance(TimeSpan.FromSeconds(1));

        await Eventually.TrueAsync(() => Count(h, "ProviderHealthy") == 2 && Count(h, "ProviderUnhealthy") == 1, "the second round logged both providers");
        Assert.Contains(h.Logs.Lines, l => l.Contains("ProviderHealthy", StringComparison.Ordinal) && l.Contains("provider test at", StringComparison.Ordinal));
        Assert.Contains(h.Logs.Lines, l => l.Contains("ProviderUnhealthy", StringComparison.Ordinal) && l.Contains("provider gone at", StringComparison.Ordinal));
    }

    private static int Count(DriverHarness h, string eventName)
        => h.Logs.Lines.Count(l => l.Contains(" " + eventName + " ", StringComparison.Ordinal));
}
