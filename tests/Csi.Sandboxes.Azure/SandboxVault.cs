using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Csi.Sandboxes.Azure.Internal;

namespace Csi.Sandboxes.Azure;

/// <summary>
/// One vault of a <see cref="KeyVaultSandbox"/>: secrets, keys and certificates with versions, addressed as
/// <see cref="VaultUri"/>. Every setter adds a version and returns its id (32 hex digits).
/// </summary>
public sealed class SandboxVault
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, List<StoredVersion>> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<StoredVersion>> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<StoredVersion>> _certificates = new(StringComparer.OrdinalIgnoreCase);
    private HashSet<string>? _allowedClients;

    internal SandboxVault(string name, string tenantId, string dnsSuffix, TimeProvider time)
    {
        Name = name;
        TenantId = tenantId;
        _time = time;
        VaultUri = new Uri($"https://{name}.{dnsSuffix}/");
    }

    /// <summary>The vault name, the first label of its host.</summary>
    public string Name { get; }

    /// <summary>The tenant whose tokens the vault accepts.</summary>
    public string TenantId { get; }

    /// <summary>E.g. <c>https://myvault.vault.azure.net/</c>; reach it through <see cref="KeyVaultSandbox.CreateTransport"/>.</summary>
    public Uri VaultUri { get; }

    /// <summary>Only these client ids may read; others get 403 <c>Forbidden</c>. Without a call every valid token may read.</summary>
    public void RestrictAccessTo(params string[] clientIds)
    {
        lock (_gate)
        {
            _allowedClients = new HashSet<string>(clientIds, StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>Adds a secret version.</summary>
    public string SetSecret(string name, string value, string? contentType = null, bool enabled = true, DateTimeOffset? created = null, IReadOnlyDictionary<string, string>? tags = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        var body = new JsonObject { ["value"] = value };
        if (contentType is not null)
        {
            body["contentType"] = contentType;
        }

        AddTags(body, tags);
        return Add(_secrets, name, body, enabled, created);
    }

    /// <summary>Enables or disables a secret version (a disabled secret answers 403 on GET).</summary>
    public void SetSecretEnabled(string name, string version, bool enabled) => SetEnabled(_secrets, name, version, enabled);

    /// <summary>Enables or disables a key version.</summary>
    public void SetKeyEnabled(string name, string version, bool enabled) => SetEnabled(_keys, name, version, enabled);

    /// <summary>Enables or disables a certificate version (and its backing key and secret).</summary>
    public void SetCertificateEnabled(string name, string version, bool enabled)
    {
        SetEnabled(_certificates, name, version, enabled);
        SetEnabled(_secrets, name, version, enabled);
        SetEnabled(_keys, name, version, enabled);
    }

    /// <summary>Adds a key version holding the public part of <paramref name="key"/> (RSA or EC P-256/384/521).</summary>
    public string ImportKey(string name, AsymmetricAlgorithm key, bool hsm = false, bool enabled = true, DateTimeOffset? created = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(key);
        return Add(_keys, name, new JsonObject { ["key"] = Jwk(key, hsm) }, enabled, created);
    }

    /// <summary>Adds an RSA key version with a fresh key; returns the version and the key (with its private part).</summary>
    public (string Version, RSA Key) CreateRsaKey(string name, int keySize = 2048, bool enabled = true, DateTimeOffset? created = null)
    {
        var key = RSA.Create(keySize);
        return (ImportKey(name, key, enabled: enabled, created: created), key);
    }

    /// <summary>Adds an EC key version with a fresh key on <paramref name="curve"/> (P-256, P-384 or P-521).</summary>
    public (string Version, ECDsa Key) CreateEcKey(string name, ECCurve curve, bool enabled = true, DateTimeOffset? created = null)
    {
        var key = ECDsa.Create(curve);
        return (ImportKey(name, key, enabled: enabled, created: created), key);
    }

    /// <summary>
    /// Adds a certificate version from <paramref name="certificate"/> (with its private key) and
    /// <paramref name="chain"/> (issuers, leaf first order as Key Vault keeps them), with the backing secret in
    /// <paramref name="format"/> and the backing key, all three under the same name and version.
    /// </summary>
    public string ImportCertificate(
        string name,
        X509Certificate2 certificate,
        IEnumerable<X509Certificate2>? chain = null,
        CertificateSecretFormat format = CertificateSecretFormat.Pkcs12,
        bool enabled = true,
        DateTimeOffset? created = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("the certificate must carry its private key", nameof(certificate));
        }

        var issuers = chain?.ToArray() ?? [];
        var contentType = format == CertificateSecretFormat.Pem ? "application/x-pem-file" : "application/x-pkcs12";
        var secretValue = format == CertificateSecretFormat.Pem ? Pem(certificate, issuers) : Pfx(certificate, issuers);
        using AsymmetricAlgorithm publicKey = (AsymmetricAlgorithm?)certificate.GetRSAPublicKey() ?? certificate.GetECDsaPublicKey()
            ?? throw new ArgumentException("only RSA and EC certificates are supported", nameof(certificate));

        var version = KeyVaultText.NewVersion();
        var when = created ?? _time.GetUtcNow();
        var basePath = VaultUri.ToString().TrimEnd('/');
        var certificateBody = new JsonObject
        {
            ["kid"] = $"{basePath}/keys/{name}/{version}",
            ["sid"] = $"{basePath}/secrets/{name}/{version}",
#pragma warning disable CA5350 // x5t is by definition the SHA-1 thumbprint.
            ["x5t"] = KeyVaultText.Base64Url(SHA1.HashData(certificate.RawData)),
#pragma warning restore CA5350
            ["cer"] = Convert.ToBase64String(certificate.RawData),
            ["policy"] = Policy(basePath, name, certificate, contentType, when),
        };
        var secretBody = new JsonObject
        {
            ["value"] = secretValue,
            ["contentType"] = contentType,
            ["kid"] = $"{basePath}/keys/{name}/{version}",
            ["managed"] = true,
        };
        var keyBody = new JsonObject { ["key"] = Jwk(publicKey, hsm: false), ["managed"] = true };
        lock (_gate)
        {
            Versions(_certificates, name).Add(new StoredVersion(version, when, enabled, certificateBody));
            Versions(_secrets, name).Add(new StoredVersion(version, when, enabled, secretBody));
            Versions(_keys, name).Add(new StoredVersion(version, when, enabled, keyBody));
        }

        return version;
    }

    /// <summary>Removes a secret, key or certificate name with all versions (a certificate takes its secret and key along).</summary>
    public void Delete(string name)
    {
        lock (_gate)
        {
            _secrets.Remove(name);
            _keys.Remove(name);
            _certificates.Remove(name);
        }
    }

    internal bool IsAllowed(string? clientId)
    {
        lock (_gate)
        {
            return _allowedClients is null || (clientId is not null && _allowedClients.Contains(clientId));
        }
    }

    internal StoredVersion? Find(string collection, string name, string? version, out JsonObject? bundle)
    {
        bundle = null;
        lock (_gate)
        {
            if (!Collection(collection).TryGetValue(name, out var versions) || versions.Count == 0)
            {
                return null;
            }

            var found = string.IsNullOrEmpty(version)
                ? versions[^1]
                : versions.Find(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase));
            if (found is not null)
            {
                bundle = Bundle(collection, name, found, full: true);
            }

            return found;
        }
    }

    internal List<JsonObject> ListVersions(string collection, string name)
    {
        lock (_gate)
        {
            return Collection(collection).TryGetValue(name, out var versions)
                ? versions.Select(v => Bundle(collection, name, v, full: false)).ToList()
                : [];
        }
    }

    private JsonObject Bundle(string collection, string name, StoredVersion stored, bool full)
    {
        var id = $"{VaultUri.ToString().TrimEnd('/')}/{collection}/{name}/{stored.Version}";
        var bundle = new JsonObject();
        if (collection == "keys")
        {
            if (full)
            {
                var key = stored.Body["key"]!.DeepClone().AsObject();
                key["kid"] = id;
                bundle["key"] = key;
            }
            else
            {
                bundle["kid"] = id;
            }
        }
        else
        {
            bundle["id"] = id;
        }

        foreach (var (field, value) in stored.Body)
        {
            if (field == "key")
            {
                continue;
            }

            // Listings carry metadata only: no secret value, no certificate body or policy.
            if (!full && field is "value" or "cer" or "policy" or "sid" or "kid")
            {
                if (!(collection == "secrets" && field == "kid"))
                {
                    continue;
                }
            }

            bundle[field] = value?.DeepClone();
        }

        bundle["attributes"] = stored.Attributes();
        return bundle;
    }

    private Dictionary<string, List<StoredVersion>> Collection(string collection) => collection switch
    {
        "secrets" => _secrets,
        "keys" => _keys,
        "certificates" => _certificates,
        _ => throw new ArgumentOutOfRangeException(nameof(collection), collection, null),
    };

    private string Add(Dictionary<string, List<StoredVersion>> collection, string name, JsonObject body, bool enabled, DateTimeOffset? created)
    {
        var version = KeyVaultText.NewVersion();
        lock (_gate)
        {
            Versions(collection, name).Add(new StoredVersion(version, created ?? _time.GetUtcNow(), enabled, body));
        }

        return version;
    }

    private void SetEnabled(Dictionary<string, List<StoredVersion>> collection, string name, string version, bool enabled)
    {
        lock (_gate)
        {
            var stored = collection.TryGetValue(name, out var versions) ? versions.Find(v => v.Version == version) : null;
            if (stored is null)
            {
                throw new KeyNotFoundException($"{name}/{version} does not exist");
            }

            stored.Enabled = enabled;
            stored.Updated = _time.GetUtcNow();
        }
    }

    private static List<StoredVersion> Versions(Dictionary<string, List<StoredVersion>> collection, string name)
    {
        if (!collection.TryGetValue(name, out var versions))
        {
            versions = [];
            collection[name] = versions;
        }

        return versions;
    }

    private static void AddTags(JsonObject body, IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is { Count: > 0 })
        {
            var obj = new JsonObject();
            foreach (var (k, v) in tags)
            {
                obj[k] = v;
            }

            body["tags"] = obj;
        }
    }

    private static JsonObject Jwk(AsymmetricAlgorithm key, bool hsm)
    {
        switch (key)
        {
            case RSA rsa:
                var p = rsa.ExportParameters(includePrivateParameters: false);
                return new JsonObject
                {
                    ["kty"] = hsm ? "RSA-HSM" : "RSA",
                    ["key_ops"] = new JsonArray("encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"),
                    ["n"] = KeyVaultText.Base64Url(p.Modulus),
                    ["e"] = KeyVaultText.Base64Url(p.Exponent),
                };
            case ECDsa ec:
                var q = ec.ExportParameters(includePrivateParameters: false);
                return new JsonObject
                {
                    ["kty"] = hsm ? "EC-HSM" : "EC",
                    ["key_ops"] = new JsonArray("sign", "verify"),
                    ["crv"] = CurveName(ec.KeySize),
                    ["x"] = KeyVaultText.Base64Url(q.Q.X),
                    ["y"] = KeyVaultText.Base64Url(q.Q.Y),
                };
            default:
                throw new ArgumentException("only RSA and EC keys are supported", nameof(key));
        }
    }

    private static string CurveName(int keySize) => keySize switch
    {
        256 => "P-256",
        384 => "P-384",
        521 => "P-521",
        _ => throw new ArgumentException($"EC key size {keySize} is not a Key Vault curve", nameof(keySize)),
    };

    private static string Pem(X509Certificate2 certificate, X509Certificate2[] chain)
    {
        using var key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
            ?? throw new ArgumentException("only RSA and EC certificates are supported", nameof(certificate));
        var text = new StringBuilder();
        text.Append(PemEncoding.Write("PRIVATE KEY", key.ExportPkcs8PrivateKey())).Append('\n');
        foreach (var cert in chain.Prepend(certificate))
        {
            text.Append(PemEncoding.Write("CERTIFICATE", cert.RawData)).Append('\n');
        }

        return text.ToString();
    }

    private static string Pfx(X509Certificate2 certificate, X509Certificate2[] chain)
    {
        var collection = new X509Certificate2Collection(certificate);
        collection.AddRange(chain);
        return Convert.ToBase64String(collection.Export(X509ContentType.Pkcs12) ?? []);
    }

    private static JsonObject Policy(string basePath, string name, X509Certificate2 certificate, string contentType, DateTimeOffset when) => new()
    {
        ["id"] = $"{basePath}/certificates/{name}/policy",
        ["key_props"] = new JsonObject { ["exportable"] = true, ["kty"] = certificate.PublicKey.Oid.Value == "1.2.840.113549.1.1.1" ? "RSA" : "EC", ["reuse_key"] = false },
        ["secret_props"] = new JsonObject { ["contentType"] = contentType },
        ["x509_props"] = new JsonObject { ["subject"] = certificate.Subject, ["validity_months"] = 12 },
        ["issuer"] = new JsonObject { ["name"] = "Self" },
        ["attributes"] = new JsonObject { ["enabled"] = true, ["created"] = when.ToUnixTimeSeconds(), ["updated"] = when.ToUnixTimeSeconds() },
    };
}
