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

    private protected string Key(string[] labelValues)
    {
        if (labelValues.Length != LabelNames.Count)
        {
            throw new ArgumentException($"metric {Name} takes {LabelNames.Count} label values, got {labelValues.Length}", nameof(labelValues));
        }
        return string.Join('\u0001', labelValues);
    }

    private protected void AppendLabels(StringBuilder builder, string key, string? extraName = null, string? extraValue = null)
    {
        var values = key.Length == 0 && LabelNames.Count == 0 ? [] : key.Split('\u0001');
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
