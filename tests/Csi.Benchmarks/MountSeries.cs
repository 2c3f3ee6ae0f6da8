using System.Diagnostics;
using Csi.Testing;
using SecretsStore.Provider.V1Alpha1;

namespace Csi.Benchmarks;

/// <summary>The series every provider Mount benchmark runs: untimed warm-up calls, then timed calls one after another.</summary>
internal static class MountSeries
{
    public static async Task WarmUpAsync(ProviderProcess provider, MountRequest request, int calls, CancellationToken cancellationToken)
    {
        for (var i = 0; i < calls; i++)
        {
            await provider.Client.MountAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<LatencyStats> TimeAsync(ProviderProcess provider, MountRequest request, int calls, CancellationToken cancellationToken)
    {
        var samples = new List<TimeSpan>(calls);
        for (var i = 0; i < calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await provider.Client.MountAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            samples.Add(Stopwatch.GetElapsedTime(started));
        }

        return LatencyStats.Milliseconds(samples);
    }
}
