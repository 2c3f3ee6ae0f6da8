using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Vault.Internal;

/// <summary>A namespace: its own mounts, auth mounts and policies. The root namespace has path "".</summary>
internal sealed class VaultNamespaceState
{
    public VaultNamespaceState(string path, string id)
    {
        Path = path;
        Id = id;
    }

    /// <summary>"" for root, otherwise "ns1/" or "ns1/team/".</summary>
    public string Path { get; }

    /// <summary>"root" or a short random id, as Vault Enterprise appends to tokens and lease ids.</summary>
    public string Id { get; }

    public bool IsRoot => Path.Length == 0;

    /// <summary>Secret engines keyed by mount path with a trailing slash (<c>secret/</c>).</summary>
    public Dictionary<string, SecretEngine> Mounts { get; } = new(StringComparer.Ordinal);

    /// <summary>Auth mounts keyed by path below <c>auth/</c> with a trailing slash (<c>kubernetes/</c>).</summary>
    public Dictionary<string, AuthMount> AuthMounts { get; } = new(StringComparer.Ordinal);

    /// <summary>ACL policies by (lower-case) name.</summary>
    public Dictionary<string, IReadOnlyList<VaultPolicyRule>> Policies { get; } = new(StringComparer.Ordinal);

    public string DisplayPath => IsRoot ? "root" : Path;

    /// <summary>The mount whose path is the longest prefix of <paramref name="path"/>.</summary>
    public (SecretEngine Engine, string Remainder)? FindMount(string path)
    {
        SecretEngine? best = null;
        foreach (var (mountPath, engine) in Mounts)
        {
            if ((path.StartsWith(mountPath, StringComparison.Ordinal) || string.Equals(path + "/", mountPath, StringComparison.Ordinal))
                && (best is null || mountPath.Length > best.Path.Length))
            {
                best = engine;
            }
        }

        return best is null ? null : (best, path.Length >= best.Path.Length ? path[best.Path.Length..] : string.Empty);
    }

    public (AuthMount Mount, string Remainder)? FindAuthMount(string pathBelowAuth)
    {
        AuthMount? best = null;
        foreach (var (mountPath, mount) in AuthMounts)
        {
            if (pathBelowAuth.StartsWith(mountPath, StringComparison.Ordinal) && (best is null || mountPath.Length > best.Path.Length))
            {
                best = mount;
            }
        }

        return best is null ? null : (best, pathBelowAuth[best.Path.Length..]);
    }
}

/// <summary>A Vault token (service type).</summary>
internal sealed class TokenEntry
{
    public required string Id { get; init; }

    public required string Accessor { get; init; }

    public required VaultNamespaceState Namespace { get; init; }

    /// <summary>Sorted, de-duplicated token policies (<c>root</c> for root tokens).</summary>
    public required IReadOnlyList<string> Policies { get; init; }

    public IReadOnlyDictionary<string, string>? Meta { get; init; }

    public required string DisplayName { get; init; }

    /// <summary>Creation path, e.g. <c>auth/kubernetes/login</c> or <c>auth/token/root</c>.</summary>
    public required string Path { get; init; }

    public required DateTimeOffset IssueTime { get; init; }

    /// <summary>Zero for non-expiring (root) tokens.</summary>
    public TimeSpan CreationTtl { get; init; }

    /// <summary>The absolute limit renewals cannot pass; null when unlimited.</summary>
    public DateTimeOffset? MaxExpireTime { get; init; }

    public DateTimeOffset? ExpireTime { get; set; }

    public bool Renewable { get; init; }

    public string EntityId { get; init; } = string.Empty;

    public bool IsRoot => Policies.Contains("root", StringComparer.Ordinal);

    public bool IsExpired(DateTimeOffset now) => ExpireTime is { } e && now >= e;

    public long RemainingSeconds(DateTimeOffset now) =>
        ExpireTime is { } e ? Math.Max(0, (long)Math.Round((e - now).TotalSeconds)) : 0;
}

/// <summary>An auth method mount (kubernetes or jwt).</summary>
internal sealed class AuthMount
{
    public AuthMount(string path, string type)
    {
        Path = path;
        Type = type;
        Accessor = $"auth_{type}_{VaultText.Random(8).ToLowerInvariant()}";
    }

    /// <summary>Path below <c>auth/</c> with a trailing slash.</summary>
    public string Path { get; }

    /// <summary><c>kubernetes</c> or <c>jwt</c>.</summary>
    public string Type { get; }

    public string Accessor { get; }

    public Dictionary<string, VaultAuthRole> Roles { get; } = new(StringComparer.Ordinal);

    public KubernetesAuthSettings Kubernetes { get; set; } = new();

    public JwtAuthSettings Jwt { get; set; } = new();

    /// <summary>The mount's default and max lease TTL (Vault's system default: 768h).</summary>
    public TimeSpan DefaultLeaseTtl { get; set; } = TimeSpan.FromHours(768);

    public TimeSpan MaxLeaseTtl { get; set; } = TimeSpan.FromHours(768);
}

/// <summary>What a secret engine gets for one request.</summary>
internal sealed class EngineRequest
{
    /// <summary>HTTP method: GET, POST, PUT, DELETE, LIST, PATCH.</summary>
    public required string Method { get; init; }

    /// <summary>Vault operation: read, list, create, update, delete, patch.</summary>
    public required string Operation { get; init; }

    /// <summary>Path below the mount.</summary>
    public required string Path { get; init; }

    public required JsonObject? Body { get; init; }

    public required IReadOnlyDictionary<string, string> Query { get; init; }

    public required TokenEntry Token { get; init; }

    public required VaultNamespaceState Namespace { get; init; }

    public required DateTimeOffset Now { get; init; }
}

/// <summary>A mounted secrets engine.</summary>
internal abstract class SecretEngine
{
    protected SecretEngine(string path, string type)
    {
        Path = path;
        Type = type;
        Accessor = $"{type}_{VaultText.Random(8).ToLowerInvariant()}";
    }

    /// <summary>Mount path with a trailing slash.</summary>
    public string Path { get; }

    /// <summary>The mount type reported as <c>mount_type</c>.</summary>
    public string Type { get; }

    public string Accessor { get; }

    /// <summary>
    /// Vault's existence check, which turns a write into <c>create</c> (resource absent) or <c>update</c>; engines
    /// without one always see <c>update</c>.
    /// </summary>
    public virtual bool? Exists(string path) => null;

    public abstract VaultResponse Handle(EngineRequest request);

    protected static string LeaseSuffix(VaultNamespaceState ns) => ns.IsRoot ? string.Empty : "." + ns.Id;
}
