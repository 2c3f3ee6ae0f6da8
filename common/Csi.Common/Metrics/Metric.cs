using System.Collections.Concurrent;
using System.Text;

namespace Csi.Common.Metrics;

/// <summary>A named family of series, one per distinct set of label values.</summary>
public abstract class Metric
{
    private protected Metric(string name, string help, string type, string[] labelNames)
    {
        if (!IsValidName(name) || labelNames.Any(l => !IsValidName(l)))
        {
            throw new ArgumentException($"metric {name}: names must match [a-zA-Z_][a-zA-Z0-9_]*", nameof(name));
        }
        Name = name;
        Help = help;
        Type = type;
        LabelNames = labelNames;
    }

    public string Name { get; }

    public string Help { get; }

    public string Type { get; }

    public IReadOnlyList<string> LabelNames { get; }

    internal void Render(StringBuilder builder)
    {
        builder.Append("# HELP ").Append(Name).Append(' ').Append(Help).Append('\n');
        builder.Append("# TYPE ").Append(Name).Append(' ').Append(Type).Append('\n');
        RenderSeries(builder);
    }

    private protected abstract void RenderSeries(StringBuilder builder);

    /// <summary>
    /// The series of <paramref name="labelValues"/>, made on first use. Found by the values themselves (no key string
    /// is built), so a change to a series that exists allocates nothing; a new series keeps its own copy of the values.
    /// </summary>
    private protected TSeries GetOrAdd<TSeries>(ConcurrentDictionary<string[], TSeries> series, ReadOnlySpan<string> labelValues, Func<string[], TSeries> create)
    {
        CheckLabelCount(labelValues);
        return series.GetAlternateLookup<ReadOnlySpan<string>>().TryGetValue(labelValues, out var existing)
            ? existing
            : series.GetOrAdd(labelValues.ToArray(), create);
    }

    private protected bool TryGet<TSeries>(ConcurrentDictionary<string[], TSeries> series, ReadOnlySpan<string> labelValues, out TSeries value)
    {
        CheckLabelCount(labelValues);
        return series.GetAlternateLookup<ReadOnlySpan<string>>().TryGetValue(labelValues, out value!);
    }

    /// <summary>The series in a stable order (by label values), so two scrapes list them alike.</summary>
    private protected static KeyValuePair<string[], TSeries>[] Ordered<TSeries>(ConcurrentDictionary<string[], TSeries> series)
    {
        var snapshot = series.ToArray();
        Array.Sort(snapshot, static (a, b) => LabelValuesComparer.Instance.Compare(a.Key, b.Key));
        return snapshot;
    }

    private protected void AppendLabels(StringBuilder builder, string[] values, string? extraName = null, string? extraValue = null)
    {
        if (values.Length == 0 && extraName is null)
        {
            return;
        }
        builder.Append('{');
        var first = true;
        for (var i = 0; i < values.Length; i++)
        {
            AppendLabel(builder, LabelNames[i], values[i], ref first);
        }
        if (extraName is not null)
        {
            AppendLabel(builder, extraName, extraValue ?? string.Empty, ref first);
        }
        builder.Append('}');
    }

    private protected static ConcurrentDictionary<string[], T> NewSeries<T>() => new(LabelValuesComparer.Instance);

    private void CheckLabelCount(ReadOnlySpan<string> labelValues)
    {
        if (labelValues.Length != LabelNames.Count)
        {
            throw new ArgumentException($"metric {Name} takes {LabelNames.Count} label values, got {labelValues.Length}", nameof(labelValues));
        }
    }

    private static void AppendLabel(StringBuilder builder, string name, string value, ref bool first)
    {
        if (!first)
        {
            builder.Append(',');
        }
        first = false;
        builder.Append(name).Append("=\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => builder.Append("\\\\"),
                '"' => builder.Append("\\\""),
                '\n' => builder.Append("\\n"),
                _ => builder.Append(c),
            };
        }
        builder.Append('"');
    }

    private static bool IsValidName(string name)
        => name.Length > 0
           && (char.IsAsciiLetter(name[0]) || name[0] == '_')
           && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
