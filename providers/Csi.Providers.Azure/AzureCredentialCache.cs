using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;

namespace Csi.Providers.Azure;

/// <summary>
/// Keeps one credential per identity, so its Azure AD token (cached inside the credential until shortly before it
/// expires) serves every mount of that identity instead of one token request per mount. The key holds a hash of
/// the pod token or client secret, never the value: a rotated token or secret gets a credential of its own, and
/// only a caller holding the same secret material reaches a cached credential.
/// </summary>
internal sealed class AzureCredentialCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly TimeSpan _idle;

    public AzureCredentialCache(int capacity = 256, TimeSpan? idle = null, TimeProvider? time = null)
    {
        _capacity = capacity;
        _idle = idle ?? TimeSpan.FromHours(1);
        _time = time ?? TimeProvider.System;
    }

    public int Count => _entries.Count;

    public TokenCredential GetOrCreate(AzureCredentialSettings settings, AzureMountParameters parameters, string podNamespace, string podName, Func<TokenCredential> create)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(create);
        var now = _time.GetUtcNow();
        var key = Key(settings, parameters, podNamespace, podName);
        if (_entries.TryGetValue(key, out var found) && now - found.LastUsed < _idle)
        {
            found.LastUsed = now;
            return found.Credential;
        }

        var entry = new Entry(create()) { LastUsed = now };
        _entries[key] = entry;
        if (_entries.Count > _capacity)
        {
            Trim(now);
        }

        return entry.Credential;
    }

    private void Trim(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (now - entry.LastUsed >= _idle)
            {
                _entries.TryRemove(key, out _);
            }
        }

        foreach (var (key, _) in _entries.OrderBy(e => e.Value.LastUsed).Take(Math.Max(0, _entries.Count - _capacity)).ToList())
        {
            _entries.TryRemove(key, out _);
        }
    }

    private static string Key(AzureCredentialSettings settings, AzureMountParameters parameters, string podNamespace, string podName)
    {
        var secretMaterial = settings.ServiceAccountToken ?? settings.ServicePrincipalSecret;
        var hash = secretMaterial.Length == 0 ? string.Empty : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secretMaterial)));
        // Pod identity answers per pod, so the pod is part of its key; the other modes are per identity.
        var pod = settings.Mode == AzureIdentityMode.PodIdentity ? podNamespace + "/" + podName : string.Empty;
        return string.Join('|', settings.Mode, settings.UsesWorkloadIdentity, parameters.TenantId, parameters.Cloud.ActiveDirectoryEndpoint, parameters.Cloud.KeyVaultEndpoint,
            settings.ClientId, settings.UserAssignedIdentityId, settings.ServicePrincipalClientId, pod, hash);
    }

    private sealed class Entry(TokenCredential credential)
    {
        public TokenCredential Credential { get; } = credential;

        public DateTimeOffset LastUsed { get; set; }
    }
}
