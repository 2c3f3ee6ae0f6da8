using System.Security.Cryptography.X509Certificates;
using Csi.Sandboxes.Vault.Internal;

namespace Csi.Sandboxes.Vault;

/// <summary>Dynamic secrets engines: database credentials, PKI certificates, and generic engines the test answers for.</summary>
public sealed partial class VaultSandbox
{
    /// <summary>Mounts a database secrets engine: <c>GET &lt;path&gt;/creds/&lt;role&gt;</c> mints credentials.</summary>
    public void EnableDatabase(string path = "database", string? vaultNamespace = null) =>
        Locked(() => _core.Mount(vaultNamespace, path, p => new DatabaseEngine(p)));

    /// <summary>Adds or replaces a database role.</summary>
    public void WriteDatabaseRole(string mount, VaultDatabaseRole role, string? vaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(role);
        Locked(() => _core.GetEngine<DatabaseEngine>(vaultNamespace, mount).Roles[role.Name] = role);
    }

    /// <summary>Usernames the database engine has handed out, oldest first.</summary>
    public IReadOnlyList<string> GetIssuedDatabaseUsernames(string mount = "database", string? vaultNamespace = null) =>
        Locked(() => _core.GetEngine<DatabaseEngine>(vaultNamespace, mount).IssuedUsernames.ToArray());

    /// <summary>Mounts a PKI engine with its own in-memory root CA.</summary>
    public void EnablePki(string path = "pki", string? vaultNamespace = null) =>
        Locked(() => _core.Mount(vaultNamespace, path, p => new PkiEngine(p, TimeProvider)));

    /// <summary>Adds or replaces a PKI role.</summary>
    public void WritePkiRole(string mount, VaultPkiRole role, string? vaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(role);
        Locked(() => _core.GetEngine<PkiEngine>(vaultNamespace, mount).Roles[role.Name] = role);
    }

    /// <summary>The PKI mount's CA certificate (public part only).</summary>
    public X509Certificate2 GetPkiAuthority(string mount = "pki", string? vaultNamespace = null) =>
        Locked(() => X509CertificateLoader.LoadCertificate(_core.GetEngine<PkiEngine>(vaultNamespace, mount).Authority.RawData));

    /// <summary>Mounts a generic engine reporting <paramref name="mountType"/>; its paths are set with <see cref="SetGenericSecret(string, string, VaultGenericSecret, string?)"/>.</summary>
    public void EnableGenericEngine(string path, string mountType = "generic", string? vaultNamespace = null) =>
        Locked(() => _core.Mount(vaultNamespace, path, p => new GenericEngine(p, mountType)));

    /// <summary>Makes <paramref name="path"/> (below the mount) answer with fixed data.</summary>
    public void SetGenericSecret(string mount, string path, VaultGenericSecret secret, string? vaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(secret);
        SetGenericSecret(mount, path, _ => secret, vaultNamespace);
    }

    /// <summary>Makes <paramref name="path"/> (below the mount) answer with whatever <paramref name="factory"/> returns (null: 404).</summary>
    public void SetGenericSecret(string mount, string path, Func<VaultGenericRequest, VaultGenericSecret?> factory, string? vaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(path);
        Locked(() => _core.GetEngine<GenericEngine>(vaultNamespace, mount).Paths[path.Trim('/')] = factory);
    }
}
