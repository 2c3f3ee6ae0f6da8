using System.Globalization;
using System.Text;

namespace Csi.Common.Metrics;

/// <summary>One unlabelled series whose value is read when scraped (memory, threads, CPU time): nothing to update.</summary>
public sealed class SampledMetric : Metric
{
    private readonly Func<double> _read;

    internal SampledMetric(string name, string help, string type, Func<double> read)
        : base(name, help, type, [])
    {
        _read = read;
    }

    private protected override void RenderSeries(StringBuilder builder)
        => builder.Append(Name).Append(' ').Append(_read().ToString(CultureInfo.InvariantCulture)).Append('\n');
}
