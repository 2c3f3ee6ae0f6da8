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

    /// <summary>The series of <paramref name="labelValues"/>, made on first use; the values are copied, never kept.</summary>
    private protected TSeries GetOrAdd<TSeries>(ConcurrentDictionary<string, TSeries> series, string[] labelValues, Func<string[], TSeries> create)
    {
        if (labelValues.Length != LabelNames.Count)
        {
            throw new ArgumentException($"metric {Name} takes {LabelNames.Count} label values, got {labelValues.Length}", nameof(labelValues));
        }
        var key = string.Join('\u0001', labelValues);
        return series.TryGetValue(key, out var existing) ? existing : series.GetOrAdd(key, _ => create([.. labelValues]));
    }

    private protected bool TryGet<TSeries>(ConcurrentDictionary<string, TSeries> series, string[] labelValues, out TSeries value)
    {
        if (labelValues.Length != LabelNames.Count)
        {
            throw new ArgumentException($"metric {Name} takes {LabelNames.Count} label values, got {labelValues.Length}", nameof(labelValues));
        }
        return series.TryGetValue(string.Join('\u0001', labelValues), out value!);
    }

    /// <summary>The series in a stable order (by label values), so two scrapes list them alike.</summary>
    private protected static KeyValuePair<string, TSeries>[] Ordered<TSeries>(ConcurrentDictionary<string, TSeries> series)
    {
        var snapshot = series.ToArray();
        Array.Sort(snapshot, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
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

    private protected static ConcurrentDictionary<string, T> NewSeries<T>() => new(StringComparer.Ordinal);

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
