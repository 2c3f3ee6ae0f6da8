using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>The discovery documents: <c>/api</c>, <c>/apis</c>, <c>/apis/&lt;group&gt;</c>, resource lists and <c>/version</c>.</summary>
internal static class Discovery
{
    public static JsonObject Version(string gitVersion)
    {
        var numbers = gitVersion.TrimStart('v').Split('.', '-', '+');
        return new JsonObject
        {
            ["major"] = numbers.ElementAtOrDefault(0) ?? "1",
            ["minor"] = numbers.ElementAtOrDefault(1) ?? "0",
            ["emulationMajor"] = numbers.ElementAtOrDefault(0) ?? "1",
            ["emulationMinor"] = numbers.ElementAtOrDefault(1) ?? "0",
            ["gitVersion"] = gitVersion,
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2025-01-01T00:00:00Z",
            ["goVersion"] = "go1.24.0",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    public static JsonObject CoreVersions(string hostAndPort) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = hostAndPort }),
    };

    public static JsonObject Groups(ResourceRegistry registry)
    {
        var groups = new JsonArray();
        foreach (var group in registry.Groups.Where(g => g.Length > 0))
        {
            groups.Add(GroupBody(registry, group));
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject? Group(ResourceRegistry registry, string group)
    {
        if (registry.VersionsOf(group).Count == 0 || group.Length == 0)
        {
            return null;
        }

        var body = GroupBody(registry, group);
        var result = new JsonObject { ["kind"] = "APIGroup", ["apiVersion"] = "v1" };
        foreach (var (k, v) in body.ToList())
        {
            body.Remove(k);
            result[k] = v;
        }

        return result;
    }

    public static JsonObject? Resources(ResourceRegistry registry, string group, string version)
    {
        var types = registry.In(group, version).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var t in types)
        {
            var entry = new JsonObject
            {
                ["name"] = t.Resource,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = JsonText.ToArray(t.Verbs),
            };
            if (t.ShortNames.Count > 0)
            {
                entry["shortNames"] = JsonText.ToArray(t.ShortNames);
            }

            if (t.Categories.Count > 0)
            {
                entry["categories"] = JsonText.ToArray(t.Categories);
            }

            resources.Add(entry);
            if (t.HasStatus)
            {
                resources.Add(Subresource(t, "status", t.Kind, ["get", "patch", "update"]));
            }

            if (t.Resource == "namespaces" && group.Length == 0)
            {
                resources.Add(Subresource(t, "finalize", t.Kind, ["update"]));
            }

            if (t.Resource == "serviceaccounts" && group.Length == 0)
            {
                var token = Subresource(t, "token", "TokenRequest", ["create"]);
                token["group"] = "authentication.k8s.io";
                token["version"] = "v1";
                resources.Add(token);
            }
        }

        var list = new JsonObject { ["kind"] = "APIResourceList" };
        if (group.Length > 0)
        {
            list["apiVersion"] = "v1";
        }

        list["groupVersion"] = group.Length == 0 ? version : group + "/" + version;
        list["resources"] = resources;
        return list;
    }

    private static JsonObject Subresource(ResourceType t, string name, string kind, string[] verbs) => new()
    {
        ["name"] = t.Resource + "/" + name,
        ["singularName"] = string.Empty,
        ["namespaced"] = t.Namespaced,
        ["kind"] = kind,
        ["verbs"] = JsonText.ToArray(verbs),
    };

    private static JsonObject GroupBody(ResourceRegistry registry, string group)
    {
        var versions = new JsonArray();
        foreach (var v in registry.VersionsOf(group))
        {
            versions.Add(new JsonObject { ["groupVersion"] = group + "/" + v, ["version"] = v });
        }

        var preferred = registry.VersionsOf(group)[0];
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = versions,
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = group + "/" + preferred, ["version"] = preferred },
        };
    }
}
