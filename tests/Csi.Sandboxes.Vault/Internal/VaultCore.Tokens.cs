using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Vault.Internal;

/// <summary>The token store (lookup, renew, child tokens) and auth mount administration.</summary>
internal sealed partial class VaultCore
{
    private VaultResponse TokenStore(VaultNamespaceState ns, TokenEntry caller, string rest, string operation, JsonObject? body, DateTimeOffset now)
    {
        switch (rest, operation)
        {
            case ("lookup-self", "read" or "update"):
                return VaultResponse.Ok(LookupData(caller, now), "token");

            case ("lookup", "update"):
                var target = LookupToken(body is null ? null : RoleJson.Str(body, "token"));
                return target is null ? VaultResponse.BadRequest("bad token") : VaultResponse.Ok(LookupData(target, now), "token");

            case ("revoke-self", "update"):
                RevokeToken(caller.Id);
                return VaultResponse.NoContent();

            case ("renew-self", "update"):
                return Renew(caller, body, now);

            case ("create", "update" or "create"):
                return CreateChildToken(ns, caller, body ?? [], now);

            default:
                return VaultResponse.MultiError(404, "unsupported path");
        }
    }

    private static JsonObject LookupData(TokenEntry token, DateTimeOffset now)
    {
        var policies = new JsonArray();
        foreach (var p in token.Policies)
        {
            policies.Add(p);
        }

        return new JsonObject
        {
            ["accessor"] = token.Accessor,
            ["creation_time"] = token.IssueTime.ToUnixTimeSeconds(),
            ["creation_ttl"] = (long)token.CreationTtl.TotalSeconds,
            ["display_name"] = token.DisplayName,
            ["entity_id"] = token.EntityId,
            ["expire_time"] = token.ExpireTime is { } e ? VaultText.Timestamp(e) : null,
            ["explicit_max_ttl"] = 0,
            ["id"] = token.Id,
            ["issue_time"] = VaultText.Timestamp(token.IssueTime),
            ["meta"] = MetaObject(token.Meta),
            ["namespace_path"] = token.Namespace.Path,
            ["num_uses"] = 0,
            ["orphan"] = !token.Path.StartsWith("auth/token/create", StringComparison.Ordinal),
            ["path"] = token.Path,
            ["policies"] = policies,
            ["renewable"] = token.Renewable,
            ["ttl"] = token.RemainingSeconds(now),
            ["type"] = "service",
        };
    }

    private static VaultResponse Renew(TokenEntry token, JsonObject? body, DateTimeOffset now)
    {
        if (!token.Renewable || token.ExpireTime is null)
        {
            return VaultResponse.BadRequest("lease is not renewable");
        }

        var increment = body?["increment"] is { } inc && VaultText.TryParseDuration(inc, out var requested) && requested > TimeSpan.Zero
            ? requested
            : token.CreationTtl;
        var expire = now + increment;
        var warnings = new List<string>();
        if (token.MaxExpireTime is { } max && expire > max)
        {
            warnings.Add($"TTL of \"{VaultText.GoDuration(increment)}\" exceeded the effective max_ttl of \"{VaultText.GoDuration(max - now)}\"; TTL value is capped accordingly");
            expire = max;
        }

        token.ExpireTime = expire;
        return VaultResponse.Envelope(200, null, "token", auth: AuthBlock(token, token.RemainingSeconds(now), orphan: true), warnings: warnings.Count > 0 ? warnings : null);
    }

    private VaultResponse CreateChildToken(VaultNamespaceState ns, TokenEntry parent, JsonObject body, DateTimeOffset now)
    {
        var requested = RoleJson.Strings(body, "policies");
        var noDefault = body["no_default_policy"] is JsonValue nd && nd.TryGetValue<bool>(out var b) && b;
        IReadOnlyList<string> policies;
        if (requested.Count == 0)
        {
            policies = parent.Policies;
        }
        else
        {
            policies = SanitizePolicies(requested, addDefault: false);
            if (!parent.IsRoot && policies.Any(p => p != "default" && !parent.Policies.Contains(p, StringComparer.Ordinal)))
            {
                return VaultResponse.BadRequest("child policies must be subset of parent");
            }
        }

        if (policies.Contains("root", StringComparer.Ordinal) && !parent.IsRoot)
        {
            return VaultResponse.BadRequest("root tokens may not be created without parent token being root");
        }

        var ttl = RoleJson.Duration(body, "ttl") ?? TimeSpan.Zero;
        var isRootChild = policies.Contains("root", StringComparer.Ordinal);
        if (ttl <= TimeSpan.Zero && !isRootChild)
        {
            ttl = TimeSpan.FromHours(768);
        }

        var renewable = body["renewable"] is not JsonValue r || !r.TryGetValue<bool>(out var rb) || rb;
        var display = RoleJson.Str(body, "display_name");
        Dictionary<string, string>? meta = null;
        if (body["meta"] is JsonObject m)
        {
            meta = m.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? string.Empty, StringComparer.Ordinal);
        }

        var token = CreateToken(
            ns,
            policies,
            addDefault: !noDefault && !isRootChild,
            ttl,
            isRootChild ? TimeSpan.Zero : TimeSpan.FromHours(768),
            string.IsNullOrEmpty(display) ? "token" : "token-" + display,
            "auth/token/create",
            meta,
            renewable && !isRootChild,
            string.Empty);
        return VaultResponse.Envelope(200, null, "token", auth: AuthBlock(token, token.RemainingSeconds(now), orphan: false));
    }

    private static VaultResponse AuthAdmin(AuthMount mount, string rest, string operation, JsonObject? body)
    {
        if (string.Equals(rest, "role", StringComparison.Ordinal) || string.Equals(rest, "role/", StringComparison.Ordinal))
        {
            if (operation != "list" || mount.Roles.Count == 0)
            {
                return operation == "list" ? VaultResponse.NotFound() : VaultResponse.MultiError(405, "unsupported operation");
            }

            var keys = new JsonArray();
            foreach (var name in mount.Roles.Keys.Order(StringComparer.Ordinal))
            {
                keys.Add(name);
            }

            return VaultResponse.Ok(new JsonObject { ["keys"] = keys }, mount.Type);
        }

        if (!rest.StartsWith("role/", StringComparison.Ordinal))
        {
            return VaultResponse.MultiError(404, "unsupported path");
        }

        var roleName = rest[5..].ToLowerInvariant();
        switch (operation)
        {
            case "read":
                return mount.Roles.TryGetValue(roleName, out var role) ? VaultResponse.Ok(RoleJson.ToJson(role, mount.Type), mount.Type) : VaultResponse.NotFound();
            case "create":
            case "update":
                var updated = RoleJson.FromJson(roleName, body ?? []);
                try
                {
                    ValidateRole(mount, updated);
                }
                catch (ArgumentException e)
                {
                    return VaultResponse.BadRequest(e.Message.Split(" (Parameter", StringSplitOptions.None)[0]);
                }

                mount.Roles[roleName] = updated;
                return VaultResponse.NoContent();
            case "delete":
                mount.Roles.Remove(roleName);
                return VaultResponse.NoContent();
            default:
                return VaultResponse.MultiError(405, "unsupported operation");
        }
    }

    private enum RouteKind
    {
        None,
        Engine,
        TokenStore,
        AuthAdmin,
        Sys,
    }

    private sealed record RouteResult(RouteKind Kind, SecretEngine? Engine, AuthMount? Auth, string Rest);
}
