using System.Globalization;
using System.Text.Json.Nodes;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Vault.Internal;

/// <summary>An HTTP request reduced to what Vault's core looks at.</summary>
internal sealed class IncomingRequest
{
    public required string Method { get; init; }

    public required string RawPath { get; init; }

    public required IReadOnlyDictionary<string, string> Query { get; init; }

    public string? NamespaceHeader { get; init; }

    public string? Token { get; init; }

    public JsonObject? Body { get; init; }

    public string? BodyError { get; init; }
}

/// <summary>
/// Vault's core in miniature: namespaces, mounts, tokens, policies and request handling, all behind one lock.
/// Processing order follows vault/http and vault/request_handling.go: body parsing, seal check, trailing-slash
/// writes, namespace resolution, login paths (unauthenticated), token check, existence check, ACL, routing.
/// </summary>
internal sealed class VaultCore : IDisposable
{
    private readonly Dictionary<string, VaultNamespaceState> _namespaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TokenEntry> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _entities = new(StringComparer.Ordinal);
    private readonly ServiceAccountTokenIssuer _issuer;
    private readonly string _version;

    public VaultCore(TimeProvider clock, ServiceAccountTokenIssuer issuer, string rootToken, string version)
    {
        Clock = clock;
        _issuer = issuer;
        _version = version;
        Root = new VaultNamespaceState(string.Empty, "root");
        _namespaces[string.Empty] = Root;
        RootToken = rootToken;
        _tokens[rootToken] = new TokenEntry
        {
            Id = rootToken,
            Accessor = VaultText.Random(24),
            Namespace = Root,
            Policies = ["root"],
            DisplayName = "root",
            Path = "auth/token/root",
            IssueTime = clock.GetUtcNow(),
            Renewable = false,
        };
        ClusterName = "vault-cluster-" + VaultText.Random(8).ToLowerInvariant();
        ClusterId = VaultText.NewUuid();
    }

    public Lock Gate { get; } = new();

    public TimeProvider Clock { get; }

    public VaultNamespaceState Root { get; }

    public string RootToken { get; }

    public string ClusterName { get; }

    public string ClusterId { get; }

    public bool Sealed { get; set; }

    public void Dispose()
    {
        foreach (var ns in _namespaces.Values)
        {
            foreach (var engine in ns.Mounts.Values.OfType<IDisposable>())
            {
                engine.Dispose();
            }
        }
    }

    // ------------------------------------------------------------------ namespaces, mounts, policies, tokens

    public static string NormalizeNamespace(string? path)
    {
        var trimmed = (path ?? string.Empty).Trim().Trim('/');
        return trimmed.Length == 0 || string.Equals(trimmed, "root", StringComparison.Ordinal) ? string.Empty : trimmed + "/";
    }

    public static string NormalizeMount(string path)
    {
        var trimmed = path.Trim().Trim('/');
        if (trimmed.Length == 0)
        {
            throw new ArgumentException("mount path must not be empty", nameof(path));
        }

        return trimmed + "/";
    }

    public VaultNamespaceState CreateNamespace(string path)
    {
        var normalized = NormalizeNamespace(path);
        if (normalized.Length == 0)
        {
            return Root;
        }

        var current = Root;
        var built = string.Empty;
        foreach (var segment in normalized.TrimEnd('/').Split('/'))
        {
            built += segment + "/";
            if (!_namespaces.TryGetValue(built, out var next))
            {
                next = new VaultNamespaceState(built, VaultText.Random(5));
                _namespaces[built] = next;
            }

            current = next;
        }

        return current;
    }

    public VaultNamespaceState GetNamespace(string? path)
    {
        var normalized = NormalizeNamespace(path);
        return _namespaces.TryGetValue(normalized, out var ns)
            ? ns
            : throw new InvalidOperationException($"namespace \"{normalized}\" does not exist; call CreateNamespace first");
    }

    public T Mount<T>(string? ns, string path, Func<string, T> factory)
        where T : SecretEngine
    {
        var state = GetNamespace(ns);
        var mountPath = NormalizeMount(path);
        if (state.Mounts.ContainsKey(mountPath) || mountPath.StartsWith("sys/", StringComparison.Ordinal) || mountPath.StartsWith("auth/", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"path is already in use at {mountPath}");
        }

        var engine = factory(mountPath);
        state.Mounts[mountPath] = engine;
        return engine;
    }

    public T GetEngine<T>(string? ns, string path)
        where T : SecretEngine
    {
        var state = GetNamespace(ns);
        return state.Mounts.TryGetValue(NormalizeMount(path), out var engine) && engine is T typed
            ? typed
            : throw new InvalidOperationException($"no {typeof(T).Name} mounted at {NormalizeMount(path)} in namespace \"{state.Path}\"");
    }

    public AuthMount EnableAuth(string? ns, string path, string type)
    {
        var state = GetNamespace(ns);
        var mountPath = NormalizeMount(path);
        if (state.AuthMounts.ContainsKey(mountPath) || string.Equals(mountPath, "token/", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"path is already in use at auth/{mountPath}");
        }

        var mount = new AuthMount(mountPath, type);
        state.AuthMounts[mountPath] = mount;
        return mount;
    }

    public AuthMount GetAuthMount(string? ns, string path)
    {
        var state = GetNamespace(ns);
        return state.AuthMounts.TryGetValue(NormalizeMount(path), out var mount)
            ? mount
            : throw new InvalidOperationException($"no auth method mounted at auth/{NormalizeMount(path)} in namespace \"{state.Path}\"");
    }

    public static void ValidateRole(AuthMount mount, VaultAuthRole role)
    {
        if (string.Equals(mount.Type, "kubernetes", StringComparison.Ordinal))
        {
            if (role.BoundServiceAccountNames.Count == 0)
            {
                throw new ArgumentException("\"bound_service_account_names\" can not be empty", nameof(role));
            }

            if (role.BoundServiceAccountNamespaces.Count == 0)
            {
                throw new ArgumentException("\"bound_service_account_namespaces\" can not be empty if \"bound_service_account_namespace_selector\" is not set", nameof(role));
            }
        }
        else if (EffectiveAudiences(role).Count == 0 && string.IsNullOrEmpty(role.BoundSubject) && EffectiveBoundClaims(role).Count == 0)
        {
            throw new ArgumentException("must have at least one bound constraint when creating/updating a role", nameof(role));
        }
    }

    public void WritePolicy(string? ns, string name, IReadOnlyList<VaultPolicyRule> rules)
    {
        var normalized = name.Trim().ToLowerInvariant();
        if (normalized is "root" or "")
        {
            throw new ArgumentException("cannot update \"root\" policy", nameof(name));
        }

        GetNamespace(ns).Policies[normalized] = rules.ToArray();
    }

    public TokenEntry CreateToken(
        VaultNamespaceState ns,
        IEnumerable<string> policies,
        bool addDefault,
        TimeSpan ttl,
        TimeSpan maxTtl,
        string displayName,
        string path,
        IReadOnlyDictionary<string, string>? meta,
        bool renewable,
        string entityId)
    {
        var now = Clock.GetUtcNow();
        var suffix = ns.IsRoot ? string.Empty : "." + ns.Id;
        var token = new TokenEntry
        {
            Id = "hvs." + VaultText.Random(24) + suffix,
            Accessor = VaultText.Random(24) + suffix,
            Namespace = ns,
            Policies = SanitizePolicies(policies, addDefault),
            Meta = meta,
            DisplayName = displayName,
            Path = path,
            IssueTime = now,
            CreationTtl = ttl,
            ExpireTime = ttl > TimeSpan.Zero ? now + ttl : null,
            MaxExpireTime = maxTtl > TimeSpan.Zero ? now + maxTtl : null,
            Renewable = renewable,
            EntityId = entityId,
        };
        _tokens[token.Id] = token;
        return token;
    }

    public bool RevokeToken(string id) => _tokens.Remove(id);

    public TokenEntry? LookupToken(string? id)
    {
        if (string.IsNullOrEmpty(id) || !_tokens.TryGetValue(id, out var token))
        {
            return null;
        }

        if (token.IsExpired(Clock.GetUtcNow()))
        {
            _tokens.Remove(id);
            return null;
        }

        return token;
    }

    public static IReadOnlyList<string> SanitizePolicies(IEnumerable<string> policies, bool addDefault)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var p in policies)
        {
            var trimmed = p.Trim().ToLowerInvariant();
            if (trimmed.Length > 0)
            {
                set.Add(trimmed);
            }
        }

        if (addDefault && !set.Contains("root"))
        {
            set.Add("default");
        }

        return set.ToArray();
    }

    // ------------------------------------------------------------------ request processing

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

    // ------------------------------------------------------------------ sys

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

    // ------------------------------------------------------------------ login

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

    // ------------------------------------------------------------------ auth/token

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

    // ------------------------------------------------------------------ auth/<mount>/role

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
