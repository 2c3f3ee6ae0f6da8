using System.Text.Json.Nodes;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Vault.Internal;

/// <summary>The kubernetes and jwt auth methods' logins and the tokens they issue.</summary>
internal sealed partial class VaultCore
{
    private VaultResponse Login(VaultNamespaceState ns, AuthMount mount, JsonObject? body, DateTimeOffset now) =>
        string.Equals(mount.Type, "kubernetes", StringComparison.Ordinal)
            ? KubernetesLogin(ns, mount, body, now)
            : JwtLogin(ns, mount, body, now);

    private ServiceAccountTokenIssuer[] Trusted(IList<ServiceAccountTokenIssuer> configured) =>
        configured.Count > 0 ? configured.ToArray() : [_issuer];

    /// <summary>vault-plugin-auth-kubernetes path_login.go, with pem_keys configured.</summary>
    private VaultResponse KubernetesLogin(VaultNamespaceState ns, AuthMount mount, JsonObject? body, DateTimeOffset now)
    {
        var roleName = body is null ? null : RoleJson.Str(body, "role");
        if (string.IsNullOrEmpty(roleName))
        {
            return VaultResponse.BadRequest("missing role");
        }

        var jwt = body is null ? null : RoleJson.Str(body, "jwt");
        if (string.IsNullOrEmpty(jwt))
        {
            return VaultResponse.BadRequest("missing jwt");
        }

        if (!mount.Roles.TryGetValue(roleName.ToLowerInvariant(), out var role))
        {
            return VaultResponse.BadRequest($"invalid role name \"{roleName}\"");
        }

        // A failed signature check is reported as a bare permission denied.
        if (!CompactJwt.TryParse(jwt, out var parsed, out _) || !Trusted(mount.Kubernetes.TrustedIssuers).Any(i => i.VerifySignature(jwt)))
        {
            return VaultResponse.Error(403, VaultText.PermissionDenied);
        }

        var payload = parsed.Payload;
        if (!string.IsNullOrEmpty(mount.Kubernetes.Issuer)
            && !string.Equals(CompactJwt.ReadString(payload, "iss"), mount.Kubernetes.Issuer, StringComparison.Ordinal))
        {
            return VaultResponse.Error(403, "invalid issuer (iss) claim");
        }

        if (!string.IsNullOrEmpty(role.Audience) && !CompactJwt.ReadAudiences(payload).Contains(role.Audience, StringComparer.Ordinal))
        {
            return VaultResponse.Error(403, "invalid audience (aud) claim: audience claim does not match any expected audience");
        }

        if (JwtChecks.CheckTimes(payload, now, allowMissing: true, JwtChecks.DefaultClockSkew) is { } timeError)
        {
            return VaultResponse.Error(403, timeError);
        }

        var claims = ServiceAccountTokenIssuer.ReadClaimsUnverified(jwt)!;
        var saName = claims.ServiceAccountName ?? string.Empty;
        var saNamespace = claims.Namespace ?? string.Empty;
        var names = role.BoundServiceAccountNames;
        if ((names.Count > 1 || !string.Equals(names[0], "*", StringComparison.Ordinal)) && !VaultText.ListContainsGlob(names, saName))
        {
            return VaultResponse.Error(403, "service account name not authorized");
        }

        var namespaces = role.BoundServiceAccountNamespaces;
        if (namespaces.Count == 0 || (!string.Equals(namespaces[0], "*", StringComparison.Ordinal) && !VaultText.ListContainsGlob(namespaces, saNamespace)))
        {
            return VaultResponse.Error(403, "namespace not authorized");
        }

        // TokenReview against the API server.
        if (mount.Kubernetes.TokenReview is { } review && !review(claims))
        {
            return VaultResponse.Error(403, VaultText.PermissionDenied);
        }

        var uid = claims.ServiceAccountUid;
        if (string.IsNullOrEmpty(uid))
        {
            return VaultResponse.Error(500, "could not parse UID from claims");
        }

        var aliasName = string.Equals(role.AliasNameSource, "serviceaccount_name", StringComparison.Ordinal)
            ? $"{saNamespace}/{saName}"
            : uid;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["role"] = roleName,
            ["service_account_name"] = saName,
            ["service_account_namespace"] = saNamespace,
            ["service_account_secret_name"] = string.Empty,
            ["service_account_uid"] = uid,
        };
        return IssueLoginToken(ns, mount, role, metadata, $"{saNamespace}-{saName}", aliasName);
    }

    /// <summary>vault-plugin-auth-jwt path_login.go, with jwt_validation_pubkeys configured.</summary>
    private VaultResponse JwtLogin(VaultNamespaceState ns, AuthMount mount, JsonObject? body, DateTimeOffset now)
    {
        var roleName = (body is null ? null : RoleJson.Str(body, "role"))?.ToLowerInvariant();
        if (string.IsNullOrEmpty(roleName))
        {
            roleName = mount.Jwt.DefaultRole?.ToLowerInvariant();
        }

        if (string.IsNullOrEmpty(roleName))
        {
            return VaultResponse.BadRequest("missing role");
        }

        if (!mount.Roles.TryGetValue(roleName, out var role))
        {
            return VaultResponse.BadRequest($"role \"{roleName}\" could not be found");
        }

        var jwt = body is null ? null : RoleJson.Str(body, "jwt");
        if (string.IsNullOrEmpty(jwt))
        {
            return VaultResponse.BadRequest("missing token");
        }

        if (!CompactJwt.TryParse(jwt, out var parsed, out var parseError))
        {
            return VaultResponse.BadRequest("error validating token: error verifying token signature: go-jose/go-jose: " + parseError);
        }

        if (!Trusted(mount.Jwt.TrustedIssuers).Any(i => i.VerifySignature(jwt)))
        {
            return VaultResponse.BadRequest("error validating token: error verifying token signature: no known key successfully validated the token signature");
        }

        var payload = parsed.Payload;
        if (!string.IsNullOrEmpty(mount.Jwt.BoundIssuer)
            && !string.Equals(CompactJwt.ReadString(payload, "iss"), mount.Jwt.BoundIssuer, StringComparison.Ordinal))
        {
            return VaultResponse.BadRequest("error validating token: invalid issuer (iss) claim");
        }

        if (!string.IsNullOrEmpty(role.BoundSubject)
            && !string.Equals(CompactJwt.ReadString(payload, "sub"), role.BoundSubject, StringComparison.Ordinal))
        {
            return VaultResponse.BadRequest("error validating token: invalid subject (sub) claim");
        }

        var audiences = EffectiveAudiences(role);
        var tokenAudiences = CompactJwt.ReadAudiences(payload);
        if (audiences.Count > 0 && !audiences.Any(a => tokenAudiences.Contains(a, StringComparer.Ordinal)))
        {
            return VaultResponse.BadRequest("error validating token: invalid audience (aud) claim: audience claim does not match any expected audience");
        }

        if (JwtChecks.CheckTimes(payload, now, allowMissing: false, role.ClockSkewLeeway) is { } timeError)
        {
            return VaultResponse.BadRequest("error validating token: " + timeError);
        }

        if (audiences.Count == 0 && tokenAudiences.Count > 0)
        {
            return VaultResponse.BadRequest("audience claim found in JWT but no audiences bound to the role");
        }

        var user = CompactJwt.ResolvePointer(payload, role.UserClaim);
        if (user is null)
        {
            return VaultResponse.BadRequest($"claim \"{role.UserClaim}\" not found in token");
        }

        if (user is not JsonValue userValue || !userValue.TryGetValue<string>(out var aliasName))
        {
            return VaultResponse.BadRequest($"claim \"{role.UserClaim}\" could not be converted to string");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (claim, key) in role.ClaimMappings ?? new Dictionary<string, string>())
        {
            if (CompactJwt.ResolvePointer(payload, claim) is JsonValue v)
            {
                metadata[key] = v.ToString();
            }
        }

        metadata["role"] = roleName;

        var glob = string.Equals(role.BoundClaimsType, "glob", StringComparison.Ordinal);
        foreach (var (claim, expected) in EffectiveBoundClaims(role))
        {
            var actual = CompactJwt.ResolvePointer(payload, claim);
            if (actual is null)
            {
                return VaultResponse.BadRequest($"error validating claims: claim \"{claim}\" is missing");
            }

            var values = actual is JsonArray arr ? arr.Select(n => n?.ToString() ?? string.Empty) : [actual.ToString()];
            var isGlob = glob || expected.Glob;
            if (!values.Any(v => expected.Values.Any(e => isGlob ? VaultText.GlobMatch(e, v) : string.Equals(e, v, StringComparison.Ordinal))))
            {
                return VaultResponse.BadRequest($"error validating claims: claim \"{claim}\" does not match any associated bound claim values");
            }
        }

        return IssueLoginToken(ns, mount, role, metadata, aliasName, aliasName);
    }

    private static List<string> EffectiveAudiences(VaultAuthRole role)
    {
        var list = role.BoundAudiences.ToList();
        if (!string.IsNullOrEmpty(role.Audience) && !list.Contains(role.Audience, StringComparer.Ordinal))
        {
            list.Add(role.Audience);
        }

        return list;
    }

    private static Dictionary<string, (IReadOnlyList<string> Values, bool Glob)> EffectiveBoundClaims(VaultAuthRole role)
    {
        var claims = new Dictionary<string, (IReadOnlyList<string>, bool)>(StringComparer.Ordinal);
        foreach (var (k, v) in role.BoundClaims ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            claims[k] = (v, false);
        }

        if (role.BoundServiceAccountNames.Count > 0)
        {
            claims["/kubernetes.io/serviceaccount/name"] = (role.BoundServiceAccountNames, true);
        }

        if (role.BoundServiceAccountNamespaces.Count > 0)
        {
            claims["/kubernetes.io/namespace"] = (role.BoundServiceAccountNamespaces, true);
        }

        return claims;
    }

    private VaultResponse IssueLoginToken(
        VaultNamespaceState ns,
        AuthMount mount,
        VaultAuthRole role,
        Dictionary<string, string> metadata,
        string displayName,
        string aliasName)
    {
        var policies = SanitizePolicies(role.TokenPolicies, !role.TokenNoDefaultPolicy);
        if (policies.Contains("root", StringComparer.Ordinal))
        {
            return VaultResponse.BadRequest("auth methods cannot create root tokens");
        }

        var warnings = new List<string>();
        var ttl = role.TokenTtl > TimeSpan.Zero ? role.TokenTtl : mount.DefaultLeaseTtl;
        var max = role.TokenMaxTtl > TimeSpan.Zero && role.TokenMaxTtl < mount.MaxLeaseTtl ? role.TokenMaxTtl : mount.MaxLeaseTtl;
        if (ttl > max)
        {
            warnings.Add($"TTL of \"{VaultText.GoDuration(ttl)}\" exceeded the effective max_ttl of \"{VaultText.GoDuration(max)}\"; TTL value is capped accordingly");
            ttl = max;
        }

        var entityKey = $"{ns.Id}/{mount.Accessor}/{aliasName}";
        if (!_entities.TryGetValue(entityKey, out var entityId))
        {
            entityId = VaultText.NewUuid();
            _entities[entityKey] = entityId;
        }

        var source = mount.Path.Replace('/', '-');
        var token = CreateToken(ns, policies, addDefault: false, ttl, max, (source + displayName).TrimEnd('-'), $"auth/{mount.Path}login", metadata, renewable: true, entityId);
        return VaultResponse.Envelope(200, null, mount.Type, auth: AuthBlock(token, token.RemainingSeconds(Clock.GetUtcNow()), orphan: true), warnings: warnings.Count > 0 ? warnings : null);
    }

    private static JsonObject AuthBlock(TokenEntry token, long leaseDuration, bool orphan)
    {
        var policies = new JsonArray();
        var tokenPolicies = new JsonArray();
        foreach (var p in token.Policies)
        {
            policies.Add(p);
            tokenPolicies.Add(p);
        }

        return new JsonObject
        {
            ["client_token"] = token.Id,
            ["accessor"] = token.Accessor,
            ["policies"] = policies,
            ["token_policies"] = tokenPolicies,
            ["metadata"] = MetaObject(token.Meta),
            ["lease_duration"] = leaseDuration,
            ["renewable"] = token.Renewable,
            ["entity_id"] = token.EntityId,
            ["token_type"] = "service",
            ["orphan"] = orphan,
            ["mfa_requirement"] = null,
            ["num_uses"] = 0,
        };
    }

    private static JsonObject? MetaObject(IReadOnlyDictionary<string, string>? meta)
    {
        if (meta is null)
        {
            return null;
        }

        var o = new JsonObject();
        foreach (var (k, v) in meta)
        {
            o[k] = v;
        }

        return o;
    }
}
