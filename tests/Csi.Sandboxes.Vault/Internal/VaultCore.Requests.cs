using System.Globalization;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Vault.Internal;

/// <summary>Request processing: the order of vault/http and request_handling.go, routing, health and seal status.</summary>
internal sealed partial class VaultCore
{
    public (VaultResponse Response, string Namespace) Process(IncomingRequest req)
    {
        lock (Gate)
        {
            return ProcessLocked(req);
        }
    }

    private (VaultResponse, string) ProcessLocked(IncomingRequest req)
    {
        var now = Clock.GetUtcNow();
        if (!req.RawPath.StartsWith("/v1/", StringComparison.Ordinal))
        {
            return (VaultResponse.NotFound(), string.Empty);
        }

        var apiPath = req.RawPath[4..];
        switch (apiPath)
        {
            case "sys/health":
                return (Health(req, now), string.Empty);
            case "sys/seal-status" when req.Method is "GET":
                return (SealStatus(), string.Empty);
        }

        string operation;
        switch (req.Method)
        {
            case "GET":
                operation = "read";
                if (req.Query.TryGetValue("list", out var list) && list.Length > 0)
                {
                    if (!TryParseGoBool(list, out var isList))
                    {
                        return (VaultResponse.Error(400), string.Empty);
                    }

                    operation = isList ? "list" : "read";
                }

                break;
            case "LIST":
                operation = "list";
                break;
            case "POST":
            case "PUT":
                operation = "update";
                break;
            case "DELETE":
                operation = "delete";
                break;
            case "PATCH":
                operation = "patch";
                break;
            default:
                return (VaultResponse.Error(405), string.Empty);
        }

        if (req.BodyError is not null)
        {
            return (VaultResponse.BadRequest("failed to parse JSON input: " + req.BodyError), string.Empty);
        }

        if (Sealed)
        {
            return (VaultResponse.Error(503, "Vault is sealed"), string.Empty);
        }

        if (operation == "update" && apiPath.EndsWith('/'))
        {
            return (VaultResponse.BadRequest("cannot write to a path ending in '/'"), string.Empty);
        }

        // The HTTP layer turns every LIST into a request for the "directory": secret/metadata/app -> secret/metadata/app/.
        if (operation == "list" && !apiPath.EndsWith('/'))
        {
            apiPath += "/";
        }

        // Namespace: the header, then leading path segments naming child namespaces.
        VaultNamespaceState? ns = Root;
        var headerNs = NormalizeNamespace(req.NamespaceHeader);
        if (headerNs.Length > 0 && !_namespaces.TryGetValue(headerNs, out ns))
        {
            ns = null;
        }

        if (ns is not null)
        {
            while (true)
            {
                var slash = apiPath.IndexOf('/', StringComparison.Ordinal);
                if (slash <= 0 || !_namespaces.TryGetValue(ns.Path + apiPath[..(slash + 1)], out var child))
                {
                    break;
                }

                ns = child;
                apiPath = apiPath[(slash + 1)..];
            }
        }

        var nsPath = ns?.Path ?? headerNs;
        var token = LookupToken(req.Token);
        if (ns is null)
        {
            // Unknown namespace: nothing routes there, and no policy can grant it.
            return (token?.IsRoot == true && token.Namespace.IsRoot ? NoHandler(apiPath) : Denied(req.Token, token), nsPath);
        }

        // Login paths are unauthenticated.
        if (operation == "update" && apiPath.StartsWith("auth/", StringComparison.Ordinal)
            && ns.FindAuthMount(apiPath[5..]) is { } login && string.Equals(login.Remainder, "login", StringComparison.Ordinal))
        {
            return (Login(ns, login.Mount, req.Body, now), nsPath);
        }

        if (token is null)
        {
            return (Denied(req.Token, null), nsPath);
        }

        var relative = RelativePrefix(token.Namespace, ns);
        var route = Route(ns, apiPath);
        if (operation == "update" && route.Engine?.Exists(route.Rest) == false)
        {
            operation = "create";
        }

        if (!token.IsRoot || relative is null)
        {
            var policies = token.Policies.Select(p => ResolvePolicy(token.Namespace, p)).OfType<IReadOnlyList<VaultPolicyRule>>();
            if (relative is null || !Acl.Allows(policies, relative + apiPath, operation == "patch" ? "patch" : operation))
            {
                return (VaultResponse.MultiError(403, VaultText.PermissionDenied), nsPath);
            }
        }

        var response = route.Kind switch
        {
            RouteKind.Engine => route.Engine!.Handle(new EngineRequest
            {
                Method = req.Method,
                Operation = operation,
                Path = route.Rest,
                Body = req.Body,
                Query = req.Query,
                Token = token,
                Namespace = ns,
                Now = now,
            }),
            RouteKind.TokenStore => TokenStore(ns, token, route.Rest, operation, req.Body, now),
            RouteKind.AuthAdmin => AuthAdmin(route.Auth!, route.Rest, operation, req.Body),
            RouteKind.Sys => VaultResponse.MultiError(404, "unsupported path"),
            _ => NoHandler(apiPath),
        };
        return (response, nsPath);
    }

    private static VaultResponse NoHandler(string apiPath) =>
        VaultResponse.Error(404, $"no handler for route \"{apiPath}\". route entry not found.");

    private static VaultResponse Denied(string? presented, TokenEntry? token) =>
        string.IsNullOrEmpty(presented)
            ? VaultResponse.Error(403, VaultText.PermissionDenied)
            : token is null
                ? VaultResponse.Error(403, VaultText.MultiError(VaultText.PermissionDenied, VaultText.InvalidToken))
                : VaultResponse.MultiError(403, VaultText.PermissionDenied);

    /// <summary>Go's strconv.ParseBool.</summary>
    private static bool TryParseGoBool(string value, out bool result)
    {
        switch (value)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                result = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                result = false;
                return true;
            default:
                result = false;
                return false;
        }
    }

    /// <summary>The path prefix that takes a path in <paramref name="target"/> to the token's namespace; null when not a descendant.</summary>
    private static string? RelativePrefix(VaultNamespaceState tokenNs, VaultNamespaceState target) =>
        target.Path.StartsWith(tokenNs.Path, StringComparison.Ordinal) ? target.Path[tokenNs.Path.Length..] : null;

    private static IReadOnlyList<VaultPolicyRule>? ResolvePolicy(VaultNamespaceState ns, string name)
    {
        if (ns.Policies.TryGetValue(name, out var rules))
        {
            return rules;
        }

        return string.Equals(name, "default", StringComparison.Ordinal) ? Acl.DefaultPolicy : null;
    }

    private static RouteResult Route(VaultNamespaceState ns, string apiPath)
    {
        if (apiPath.StartsWith("auth/token/", StringComparison.Ordinal) || string.Equals(apiPath, "auth/token", StringComparison.Ordinal))
        {
            return new RouteResult(RouteKind.TokenStore, null, null, apiPath.Length > 11 ? apiPath[11..] : string.Empty);
        }

        if (apiPath.StartsWith("auth/", StringComparison.Ordinal))
        {
            return ns.FindAuthMount(apiPath[5..]) is { } auth
                ? new RouteResult(RouteKind.AuthAdmin, null, auth.Mount, auth.Remainder)
                : new RouteResult(RouteKind.None, null, null, apiPath);
        }

        if (apiPath.StartsWith("sys/", StringComparison.Ordinal))
        {
            return new RouteResult(RouteKind.Sys, null, null, apiPath[4..]);
        }

        return ns.FindMount(apiPath) is { } mount
            ? new RouteResult(RouteKind.Engine, mount.Engine, null, mount.Remainder)
            : new RouteResult(RouteKind.None, null, null, apiPath);
    }

    private VaultResponse Health(IncomingRequest req, DateTimeOffset now)
    {
        if (req.Method is not ("GET" or "HEAD"))
        {
            return VaultResponse.Error(405);
        }

        var status = Sealed ? QueryCode(req, "sealedcode", 503) : QueryCode(req, "activecode", 200);
        var body = new JsonObject
        {
            ["initialized"] = true,
            ["sealed"] = Sealed,
            ["standby"] = Sealed,
            ["performance_standby"] = false,
            ["replication_performance_mode"] = "disabled",
            ["replication_dr_mode"] = "disabled",
            ["server_time_utc"] = now.ToUnixTimeSeconds(),
            ["version"] = _version,
            ["enterprise"] = _version.Contains("+ent", StringComparison.Ordinal),
        };
        if (!Sealed)
        {
            body["cluster_name"] = ClusterName;
            body["cluster_id"] = ClusterId;
            body["echo_duration_ms"] = 0;
            body["clock_skew_ms"] = 0;
            body["replication_primary_canary_age_ms"] = 0;
        }

        return req.Method == "HEAD" ? VaultResponse.FromRaw(status, string.Empty, "application/json") : VaultResponse.FromJson(status, body);
    }

    private static int QueryCode(IncomingRequest req, string name, int fallback) =>
        req.Query.TryGetValue(name, out var raw) && int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599
            ? code
            : fallback;

    private VaultResponse SealStatus()
    {
        var body = new JsonObject
        {
            ["type"] = "shamir",
            ["initialized"] = true,
            ["sealed"] = Sealed,
            ["t"] = 1,
            ["n"] = 1,
            ["progress"] = 0,
            ["nonce"] = string.Empty,
            ["version"] = _version,
            ["build_date"] = "2025-03-04T17:42:37Z",
            ["migration"] = false,
            ["recovery_seal"] = false,
            ["storage_type"] = "inmem",
        };
        if (!Sealed)
        {
            body["cluster_name"] = ClusterName;
            body["cluster_id"] = ClusterId;
        }

        return VaultResponse.FromJson(200, body);
    }
}
