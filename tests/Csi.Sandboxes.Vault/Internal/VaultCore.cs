using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Vault.Internal;

/// <summary>
/// Vault's core in miniature: namespaces, mounts, tokens, policies and request handling, all behind one lock.
/// Processing order follows vault/http and vault/request_handling.go: body parsing, seal check, trailing-slash
/// writes, namespace resolution, login paths (unauthenticated), token check, existence check, ACL, routing.
/// </summary>
internal sealed partial class VaultCore : IDisposable
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
}
