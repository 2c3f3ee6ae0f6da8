using Csi.Sandboxes.Vault.Internal;

namespace Csi.Sandboxes.Vault;

/// <summary>Auth methods and their roles, policies and tokens.</summary>
public sealed partial class VaultSandbox
{
    /// <summary>Enables a kubernetes auth method; by default it trusts <see cref="TokenIssuer"/>'s key.</summary>
    public void EnableKubernetesAuth(string path = "kubernetes", string? vaultNamespace = null, KubernetesAuthSettings? settings = null) =>
        Locked(() => _core.EnableAuth(vaultNamespace, path, "kubernetes").Kubernetes = settings ?? new KubernetesAuthSettings());

    /// <summary>Enables a jwt auth method; by default it trusts <see cref="TokenIssuer"/>'s key.</summary>
    public void EnableJwtAuth(string path = "jwt", string? vaultNamespace = null, JwtAuthSettings? settings = null) =>
        Locked(() => _core.EnableAuth(vaultNamespace, path, "jwt").Jwt = settings ?? new JwtAuthSettings());

    /// <summary>Adds or replaces a role on an auth mount. Validation follows the plugin (e.g. kubernetes roles need bound names and namespaces).</summary>
    public void WriteAuthRole(string authMount, VaultAuthRole role, string? vaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(role);
        Locked(() =>
        {
            var mount = _core.GetAuthMount(vaultNamespace, authMount);
            VaultCore.ValidateRole(mount, role);
            mount.Roles[role.Name.ToLowerInvariant()] = role;
        });
    }

    /// <summary>Removes a role.</summary>
    public bool DeleteAuthRole(string authMount, string roleName, string? vaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(roleName);
        return Locked(() => _core.GetAuthMount(vaultNamespace, authMount).Roles.Remove(roleName.ToLowerInvariant()));
    }

    /// <summary>Mints a projected service-account JWT with <see cref="TokenIssuer"/>.</summary>
    public string MintServiceAccountToken(string kubernetesNamespace, string serviceAccountName, string audience, TimeSpan? lifetime = null) =>
        TokenIssuer.Mint(kubernetesNamespace, serviceAccountName, audience, lifetime);

    /// <summary>Defines an ACL policy as path rules (Vault's HCL policies, without HCL).</summary>
    public void WritePolicy(string name, IEnumerable<VaultPolicyRule> rules, string? vaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(rules);
        var list = rules.ToArray();
        Locked(() => _core.WritePolicy(vaultNamespace, name, list));
    }

    /// <summary>Creates a service token with the given policies (plus <c>default</c>), as <c>auth/token/create</c> would.</summary>
    public string CreateToken(IEnumerable<string> policies, TimeSpan? ttl = null, string? vaultNamespace = null, bool renewable = true)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var list = policies.ToArray();
        return Locked(() =>
        {
            var ns = _core.GetNamespace(vaultNamespace);
            var effectiveTtl = ttl ?? TimeSpan.FromHours(768);
            return _core.CreateToken(ns, list, addDefault: true, effectiveTtl, TimeSpan.FromHours(768) > effectiveTtl ? TimeSpan.FromHours(768) : effectiveTtl, "token", "auth/token/create", null, renewable, string.Empty).Id;
        });
    }

    /// <summary>Revokes a token; true when it existed.</summary>
    public bool RevokeToken(string token) => Locked(() => _core.RevokeToken(token));

    /// <summary>True when the token exists and has not expired.</summary>
    public bool IsTokenValid(string token) => Locked(() => _core.LookupToken(token) is not null);
}
