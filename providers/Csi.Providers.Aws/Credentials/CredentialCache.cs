using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Csi.Providers.Aws.Credentials;

/// <summary>
/// Temporary credentials by pod identity (namespace, service account, role or association, region), reused until
/// five minutes before they expire. The key also holds a hash of the service-account token that earned them, so a
/// cached credential only goes to a caller that presents that same token.
/// </summary>
internal sealed class CredentialCache
{
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, CachedCredentials> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public CredentialCache(TimeProvider time)
    {
        _time = time;
    }

    public int Count => _entries.Count;

    public static string Key(AwsIdentity identity, string region, string token)
    {
        var tokenHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        return string.Join('\n', identity.PodIdentity ? "pod-identity" : "irsa", identity.Namespace, identity.ServiceAccount, identity.RoleArn, region, tokenHash);
    }

    public CachedCredentials? Get(string key)
    {
        if (_entries.TryGetValue(key, out var entry) && Usable(entry))
        {
            return entry;
        }
        return null;
    }

    public void Put(string key, CachedCredentials credentials)
    {
        foreach (var (oldKey, old) in _entries)
        {
            if (!Usable(old))
            {
                _entries.TryRemove(oldKey, out _);
            }
        }
        if (Usable(credentials))
        {
            _entries[key] = credentials;
        }
    }

    private bool Usable(CachedCredentials entry) => _time.GetUtcNow() < entry.Expiration - RefreshBefore;
}
