using System.Diagnostics;
using System.Text.Json;

namespace Csi.Testing;

/// <summary>One sample of a parsed exposition: its full name (with <c>_total</c>, <c>_bucket</c>...), labels and value as written.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>One metric family as an independent parser reads it.</summary>
public sealed record PrometheusFamily(string Name, string Type, IReadOnlyList<PrometheusSample> Samples);

/// <summary>
/// Reads a <c>/metrics</c> answer with the Prometheus project's own Python client
/// (<c>prometheus_client.parser.text_string_to_metric_families</c>, Debian's <c>python3-prometheus-client</c>): a
/// parser nobody here wrote, so a test of the suite's exposition cannot pass by sharing its mistakes.
/// </summary>
public static class PrometheusText
{
    // Debian's interpreter, where the Debian package installs the module (a python3 earlier on PATH may not have it).
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import json, math, sys
        from prometheus_client.parser import text_string_to_metric_families
        def text(v):
            if math.isnan(v): return "NaN"
            if math.isinf(v): return "Infinity" if v > 0 else "-Infinity"
            return repr(v)
        out = []
        for family in text_string_to_metric_families(sys.stdin.read()):
            out.append({"name": family.name, "type": family.type, "samples": [
                {"name": s.name, "labels": s.labels, "value": text(float(s.value))} for s in family.samples]})
        json.dump(out, sys.stdout)
        """;

    /// <summary>Parses <paramref name="exposition"/>; throws with the parser's own message when it refuses the text.</summary>
    public static IReadOnlyList<PrometheusFamily> Parse(string exposition)
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing: the metrics format tests need Debian's python3 and python3-prometheus-client");
        }
        var start = new ProcessStartInfo(Python, ["-c", Script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(exposition);
        process.StandardInput.Close();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"prometheus_client refused the exposition (exit {process.ExitCode}): {error.Result.Trim()}");
        }
        using var json = JsonDocument.Parse(output.Result);
        return json.RootElement.EnumerateArray()
            .Select(f => new PrometheusFamily(
                f.GetProperty("name").GetString()!,
                f.GetProperty("type").GetString()!,
                f.GetProperty("samples").EnumerateArray()
                    .Select(s => new PrometheusSample(
                        s.GetProperty("name").GetString()!,
                        s.GetProperty("labels").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!, StringComparer.Ordinal),
                        double.Parse(s.GetProperty("value").GetString()!, System.Globalization.CultureInfo.InvariantCulture)))
                    .ToArray()))
            .ToArray();
    }

    /// <summary>The family named <paramref name="name"/> in <paramref name="families"/> (as the parser names it: a counter without <c>_total</c>).</summary>
    public static PrometheusFamily Family(IReadOnlyList<PrometheusFamily> families, string name) =>
        families.SingleOrDefault(f => f.Name == name)
        ?? throw new InvalidOperationException($"no family {name} in the exposition; families: {string.Join(", ", families.Select(f => f.Name))}");
}
