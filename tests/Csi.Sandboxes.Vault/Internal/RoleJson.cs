using System.Globalization;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Vault.Internal;

/// <summary>Maps auth roles to and from Vault's role API field names (used by seed files and <c>auth/&lt;mount&gt;/role/&lt;name&gt;</c>).</summary>
internal static class RoleJson
{
    public static VaultAuthRole FromJson(string name, JsonObject body)
    {
        var ttl = Duration(body, "token_ttl") ?? Duration(body, "ttl") ?? TimeSpan.Zero;
        var maxTtl = Duration(body, "token_max_ttl") ?? Duration(body, "max_ttl") ?? TimeSpan.Zero;
        var policies = Strings(body, "token_policies");
        if (policies.Count == 0)
        {
            policies = Strings(body, "policies");
        }

        Dictionary<string, IReadOnlyList<string>>? boundClaims = null;
        if (body["bound_claims"] is JsonObject claims)
        {
            boundClaims = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var (claim, value) in claims)
            {
                boundClaims[claim] = value switch
                {
                    JsonArray a => a.Select(n => n?.ToString() ?? string.Empty).ToArray(),
                    null => [],
                    _ => [value.ToString()],
                };
            }
        }

        Dictionary<string, string>? mappings = null;
        if (body["claim_mappings"] is JsonObject m)
        {
            mappings = m.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? string.Empty, StringComparer.Ordinal);
        }

        return new VaultAuthRole
        {
            Name = name,
            BoundServiceAccountNames = Strings(body, "bound_service_account_names"),
            BoundServiceAccountNamespaces = Strings(body, "bound_service_account_namespaces"),
            Audience = Str(body, "audience"),
            BoundAudiences = Strings(body, "bound_audiences"),
            BoundSubject = Str(body, "bound_subject"),
            BoundClaims = boundClaims,
            BoundClaimsType = Str(body, "bound_claims_type") ?? "string",
            UserClaim = Str(body, "user_claim") ?? "sub",
            ClaimMappings = mappings,
            ClockSkewLeeway = Duration(body, "clock_skew_leeway") ?? JwtChecks.DefaultClockSkew,
            TokenTtl = ttl,
            TokenMaxTtl = maxTtl,
            TokenPolicies = policies,
            TokenNoDefaultPolicy = body["token_no_default_policy"] is JsonValue v && v.TryGetValue<bool>(out var b) && b,
            AliasNameSource = Str(body, "alias_name_source") ?? "serviceaccount_uid",
        };
    }

    public static JsonObject ToJson(VaultAuthRole role, string mountType)
    {
        var o = new JsonObject
        {
            ["token_ttl"] = (long)role.TokenTtl.TotalSeconds,
            ["token_max_ttl"] = (long)role.TokenMaxTtl.TotalSeconds,
            ["token_policies"] = Array(role.TokenPolicies),
            ["token_no_default_policy"] = role.TokenNoDefaultPolicy,
            ["token_type"] = "default",
        };
        if (string.Equals(mountType, "kubernetes", StringComparison.Ordinal))
        {
            o["bound_service_account_names"] = Array(role.BoundServiceAccountNames);
            o["bound_service_account_namespaces"] = Array(role.BoundServiceAccountNamespaces);
            o["audience"] = role.Audience ?? string.Empty;
            o["alias_name_source"] = role.AliasNameSource;
        }
        else
        {
            o["role_type"] = "jwt";
            o["bound_audiences"] = Array(role.BoundAudiences);
            o["bound_subject"] = role.BoundSubject ?? string.Empty;
            o["user_claim"] = role.UserClaim;
            o["bound_claims_type"] = role.BoundClaimsType;
            var claims = new JsonObject();
            foreach (var (k, v) in role.BoundClaims ?? new Dictionary<string, IReadOnlyList<string>>())
            {
                claims[k] = Array(v);
            }

            o["bound_claims"] = claims;
            o["clock_skew_leeway"] = (long)role.ClockSkewLeeway.TotalSeconds;
        }

        return o;
    }

    public static IReadOnlyList<string> Strings(JsonObject body, string name) => body[name] switch
    {
        JsonArray a => a.Select(n => n?.ToString() ?? string.Empty).Where(s => s.Length > 0).ToArray(),
        JsonValue v when v.TryGetValue<string>(out var s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        _ => [],
    };

    public static string? Str(JsonObject body, string name) => body[name] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<long>(out var l) => l.ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => null,
    };

    public static TimeSpan? Duration(JsonObject body, string name) =>
        VaultText.TryParseDuration(body[name], out var d) ? d : null;

    private static JsonArray Array(IEnumerable<string> values)
    {
        var a = new JsonArray();
        foreach (var v in values)
        {
            a.Add(v);
        }

        return a;
    }
}
