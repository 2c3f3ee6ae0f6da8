using System.Text.Json.Nodes;
using Csi.Sandboxes.Vault.Internal;

namespace Csi.Sandboxes.Vault;

/// <summary>KV mounts and their secrets, read and written as the sandbox's operator.</summary>
public sealed partial class VaultSandbox
{
    /// <summary>Mounts a KV version 1 engine at <paramref name="path"/>.</summary>
    public void EnableKvV1(string path, string? vaultNamespace = null) =>
        Locked(() => _core.Mount(vaultNamespace, path, p => new KvEngine(p, 1, TimeProvider)));

    /// <summary>Mounts a KV version 2 engine at <paramref name="path"/> (<c>max_versions</c> 0 means 10).</summary>
    public void EnableKvV2(string path, string? vaultNamespace = null, int maxVersions = 0, bool casRequired = false) =>
        Locked(() => _core.Mount(vaultNamespace, path, p => new KvEngine(p, 2, TimeProvider, maxVersions, casRequired)));

    /// <summary>Writes string values; returns the new version (KV v2) or 0 (KV v1).</summary>
    public int WriteSecret(string mount, string path, IReadOnlyDictionary<string, string> data, string? vaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var obj = new JsonObject();
        foreach (var (k, v) in data)
        {
            obj[k] = v;
        }

        return WriteSecret(mount, path, obj, vaultNamespace);
    }

    /// <summary>Writes arbitrary JSON values; returns the new version (KV v2) or 0 (KV v1).</summary>
    public int WriteSecret(string mount, string path, JsonObject data, string? vaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Locked(() => _core.GetEngine<KvEngine>(vaultNamespace, mount).Write(path.Trim('/'), data));
    }

    /// <summary>Reads a secret's data (a copy); null when absent, deleted or destroyed.</summary>
    public JsonObject? ReadSecret(string mount, string path, int? version = null, string? vaultNamespace = null) =>
        Locked(() => _core.GetEngine<KvEngine>(vaultNamespace, mount).Read(path.Trim('/'), version));

    /// <summary>KV v1: removes the secret. KV v2: soft-deletes the latest version (like <c>DELETE data/...</c>).</summary>
    public bool DeleteSecret(string mount, string path, string? vaultNamespace = null) =>
        Locked(() => _core.GetEngine<KvEngine>(vaultNamespace, mount).Delete(path.Trim('/')));

    /// <summary>KV v2: soft-deletes the given versions.</summary>
    public void DeleteSecretVersions(string mount, string path, IEnumerable<int> versions, string? vaultNamespace = null) =>
        Locked(() => _core.GetEngine<KvEngine>(vaultNamespace, mount).DeleteVersions(path.Trim('/'), versions, destroy: false));

    /// <summary>KV v2: permanently destroys the given versions' data.</summary>
    public void DestroySecretVersions(string mount, string path, IEnumerable<int> versions, string? vaultNamespace = null) =>
        Locked(() => _core.GetEngine<KvEngine>(vaultNamespace, mount).DeleteVersions(path.Trim('/'), versions, destroy: true));

    /// <summary>Removes the secret with all versions and metadata.</summary>
    public bool DeleteSecretMetadata(string mount, string path, string? vaultNamespace = null) =>
        Locked(() => _core.GetEngine<KvEngine>(vaultNamespace, mount).DeleteMetadata(path.Trim('/')));

    /// <summary>KV v2: the current version number; null when the secret does not exist (or the mount is KV v1).</summary>
    public int? GetCurrentVersion(string mount, string path, string? vaultNamespace = null) =>
        Locked(() => _core.GetEngine<KvEngine>(vaultNamespace, mount).CurrentVersion(path.Trim('/')));
}
