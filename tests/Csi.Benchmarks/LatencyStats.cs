namespace Csi.Benchmarks;

/// <summary>A latency distribution: nearest-rank percentiles of the samples, in <see cref="Unit"/>.</summary>
internal sealed record LatencyStats(string Unit, int Samples, double Min, double P50, double P90, double P99, double Max)
{
    public static LatencyStats Milliseconds(IReadOnlyCollection<TimeSpan> samples) => From(samples, "ms", t => t.TotalMilliseconds);

    public static LatencyStats Microseconds(IReadOnlyCollection<TimeSpan> samples) => From(samples, "us", t => t.TotalMicroseconds);

    private static LatencyStats From(IReadOnlyCollection<TimeSpan> samples, string unit, Func<TimeSpan, double> convert)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("no samples", nameof(samples));
        }
        var sorted = samples.Select(convert).Order().ToArray();
        return new LatencyStats(unit, sorted.Length, sorted[0], Rank(sorted, 50), Rank(sorted, 90), Rank(sorted, 99), sorted[^1]);
    }

    private static double Rank(double[] sorted, int percentile)
        => sorted[Math.Max(0, (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1)];
}

/// <summary>The middle of a series (the upper one of an even count), as the benchmark's tables print it.</summary>
internal static class Median
{
    public static double Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
    }
}
