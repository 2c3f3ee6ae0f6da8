namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// What a request addresses, worked out from method, path and query the way the API server's request-info resolver
/// does: verb (get, list, watch, create, update, patch, delete, deletecollection), group, version, resource,
/// subresource, namespace and name.
/// </summary>
internal sealed record RequestInfo(string Verb, bool IsResourceRequest)
{
    public string Group { get; init; } = string.Empty;

    public string Version { get; init; } = string.Empty;

    public string? Resource { get; init; }

    public string? Subresource { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    /// <summary>The deprecated <c>/watch/</c> path prefix was used.</summary>
    public bool LegacyWatch { get; init; }

    public static RequestInfo Parse(string method, string path, bool watchQuery)
    {
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var nonResource = new RequestInfo(method.ToLowerInvariant(), false);
        string group;
        string version;
        string[] rest;
        if (parts.Length >= 2 && parts[0] == "api")
        {
            group = string.Empty;
            version = parts[1];
            rest = parts[2..];
        }
        else if (parts.Length >= 3 && parts[0] == "apis")
        {
            group = parts[1];
            version = parts[2];
            rest = parts[3..];
        }
        else
        {
            return nonResource;
        }

        if (rest.Length == 0)
        {
            return nonResource with { Group = group, Version = version };
        }

        var legacyWatch = false;
        if (rest[0] == "watch")
        {
            legacyWatch = true;
            rest = rest[1..];
        }

        string? ns = null;
        var isNamespaceSubresource = group.Length == 0 && rest.Length == 3 && rest[0] == "namespaces" && rest[2] is "status" or "finalize";
        if (rest.Length >= 3 && rest[0] == "namespaces" && !isNamespaceSubresource)
        {
            ns = rest[1];
            rest = rest[2..];
        }
        else if (group.Length == 0 && rest.Length >= 2 && rest[0] == "namespaces")
        {
            // /api/v1/namespaces/{name}: the namespace itself is the object.
            ns = rest[1];
        }

        if (rest.Length == 0)
        {
            return nonResource;
        }

        var resource = rest[0];
        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? string.Join('/', rest[2..]) : null;
        var verb = method.ToUpperInvariant() switch
        {
            "GET" or "HEAD" => name is null ? (watchQuery || legacyWatch ? "watch" : "list") : (legacyWatch ? "watch" : "get"),
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name is null ? "deletecollection" : "delete",
            _ => method.ToLowerInvariant(),
        };

        return new RequestInfo(verb, true)
        {
            Group = group,
            Version = version,
            Resource = resource,
            Subresource = subresource,
            Namespace = ns,
            Name = name,
            LegacyWatch = legacyWatch,
        };
    }
}
