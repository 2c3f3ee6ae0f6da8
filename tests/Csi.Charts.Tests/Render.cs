using System.Text.Json.Nodes;
using Csi.Testing;

namespace Csi.Charts.Tests;

/// <summary>One rendered object, as tests/tools/scripts/validate-k8s.mjs (kubernetes-models) judged and parsed it.</summary>
public sealed record RenderedObject(string ApiVersion, string Kind, string Name, bool Valid, IReadOnlyList<string> Errors, JsonObject Body)
{
    public JsonNode? this[string path] => Render.At(Body, path);

    public override string ToString() => $"{Kind} {Name}";
}

/// <summary>
/// The objects of one `helm template` output, each checked against the Kubernetes API schema of its kind by the
/// npm package kubernetes-models (a kind without a model counts as invalid), with lookups for the tests' facts.
/// </summary>
public sealed class Render
{
    private Render(IReadOnlyList<RenderedObject> objects) => Objects = objects;

    public IReadOnlyList<RenderedObject> Objects { get; }

    public static Render Parse(string yaml)
        => new([.. KubernetesModels.Validate(yaml).Select(o => new RenderedObject(o.ApiVersion, o.Kind, o.Name, o.Valid, o.Errors, o.Body))]);

    public IEnumerable<RenderedObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    public RenderedObject One(string kind, string name)
        => Assert.Single(Objects, o => o.Kind == kind && o.Name == name);

    public RenderedObject? Find(string kind, string name) => Objects.SingleOrDefault(o => o.Kind == kind && o.Name == name);

    /// <summary>A container of a workload's pod template.</summary>
    public static JsonObject Container(RenderedObject workload, string name)
        => Assert.Single(workload["spec.template.spec.containers"]!.AsArray(), c => (string)c!["name"]! == name)!.AsObject();

    /// <summary>A dotted path into an object (array elements by index: "containers.0.name").</summary>
    public static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node switch
            {
                JsonObject o => o[part],
                JsonArray a when int.TryParse(part, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }
        return node;
    }

    /// <summary>The rules of a ClusterRole or Role as (apiGroup, resource) -> verbs.</summary>
    public static Dictionary<string, SortedSet<string>> Rules(RenderedObject role)
    {
        var rules = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var rule in role["rules"]?.AsArray() ?? [])
        {
            foreach (var group in rule!["apiGroups"]!.AsArray())
            {
                foreach (var resource in rule["resources"]!.AsArray())
                {
                    var key = $"{(string)group!}/{(string)resource!}";
                    if (!rules.TryGetValue(key, out var verbs))
                    {
                        rules[key] = verbs = new SortedSet<string>(StringComparer.Ordinal);
                    }
                    foreach (var verb in rule["verbs"]!.AsArray())
                    {
                        verbs.Add((string)verb!);
                    }
                }
            }
        }
        return rules;
    }

    /// <summary>The container's args with $(VAR) replaced as kubelet does from the container's own env values.</summary>
    public static string[] Arguments(JsonObject container, IReadOnlyDictionary<string, string>? fieldValues = null)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container["env"]?.AsArray() ?? [])
        {
            var name = (string)variable!["name"]!;
            env[name] = variable["value"] is { } value ? (string)value! : fieldValues?.GetValueOrDefault(name) ?? "from-field";
        }
        return [.. (container["args"]?.AsArray() ?? []).Select(a => env.Aggregate((string)a!, (s, v) => s.Replace($"$({v.Key})", v.Value, StringComparison.Ordinal)))];
    }
}
