using System.Text;
using System.Text.Json.Nodes;

namespace Csi.Testing;

/// <summary>One object as the npm package kubernetes-models judged it against the Kubernetes OpenAPI schema of its kind.</summary>
public sealed record ValidatedObject(string ApiVersion, string Kind, string Name, bool Valid, IReadOnlyList<string> Errors, JsonObject Body)
{
    public override string ToString() => $"{ApiVersion} {Kind} {Name}" + (Valid ? string.Empty : ": " + string.Join("; ", Errors));
}

/// <summary>
/// Checks Kubernetes objects with tests/tools/scripts/validate-k8s.mjs, which runs them through kubernetes-models
/// (generated from the Kubernetes OpenAPI spec; a kind without a model counts as invalid). Needs node and the
/// packages tests/tools/install-kube-tools.sh installs.
/// </summary>
public static class KubernetesModels
{
    public static string ToolsDirectory => Path.Combine(RepositoryRoot.Find(), "tests", "tools");

    /// <summary>Validates multi-document YAML (e.g. `helm template` output); one result per object, in order.</summary>
    public static IReadOnlyList<ValidatedObject> Validate(string yaml)
    {
        var models = Path.Combine(ToolsDirectory, "node_modules", "kubernetes-models", "package.json");
        if (!File.Exists(models))
        {
            throw new InvalidOperationException($"{models} is missing: run tests/tools/install-kube-tools.sh");
        }
        var result = ProcessResult.Run("node", [Path.Combine(ToolsDirectory, "scripts", "validate-k8s.mjs")], yaml);
        var objects = new List<ValidatedObject>();
        foreach (var line in result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var item = JsonNode.Parse(line)!.AsObject();
            objects.Add(new ValidatedObject(
                (string)item["apiVersion"]!,
                (string)item["kind"]!,
                (string)item["name"]!,
                (bool)item["valid"]!,
                [.. item["errors"]!.AsArray().Select(e => (string)e!)],
                item["object"]!.AsObject()));
        }
        if (objects.Count == 0)
        {
            throw new InvalidOperationException($"validate-k8s.mjs returned nothing (exit {result.ExitCode}): {result.Error}");
        }
        return objects;
    }

    /// <summary>Validates objects as read from an API server (JSON), each as one YAML document.</summary>
    public static IReadOnlyList<ValidatedObject> Validate(IEnumerable<JsonObject> objects)
    {
        var yaml = new StringBuilder();
        foreach (var obj in objects)
        {
            yaml.Append("---\n").Append(obj.ToJsonString()).Append('\n');
        }
        return Validate(yaml.ToString());
    }
}
