using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Security.KeyVault.Certificates;
using Azure.Security.KeyVault.Secrets;
using Csi.ProviderHost;
using Microsoft.Extensions.Logging;

namespace Csi.Providers.Azure;

/// <summary>Fetches a mount's objects from one vault and turns them into files and object versions.</summary>
internal sealed class KeyVaultFetcher
{
    private readonly SecretClient _secrets;
    private readonly CertificateClient _certificates;
    private readonly KeyVaultKeysClient _keys;
    private readonly bool _constructPemChain;
    private readonly bool _separateCertAndKey;
    private readonly MountContext _context;
    private readonly ILogger _logger;
    private readonly Uri _vaultUri;
    private readonly VaultRequestGate _gate;

    public KeyVaultFetcher(AzureMountParameters parameters, TokenCredential credential, HttpPipelineTransport? transport, bool constructPemChain, bool separateCertAndKey, MountContext context, ILogger logger, VaultRequestGate gate)
    {
        T With<T>(T options)
            where T : ClientOptions
        {
            if (transport is not null)
            {
                options.Transport = transport;
            }

            return options;
        }

        _secrets = new SecretClient(parameters.VaultUri, credential, With(new SecretClientOptions()));
        _certificates = new CertificateClient(parameters.VaultUri, credential, With(new CertificateClientOptions()));
        _keys = new KeyVaultKeysClient(parameters.VaultUri, credential, parameters.Cloud.KeyVaultScope, With(new AzureHttpOptions()));
        _constructPemChain = constructPemChain;
        _separateCertAndKey = separateCertAndKey;
        _context = context;
        _logger = logger;
        _vaultUri = parameters.VaultUri;
        _gate = gate;
    }

    /// <summary>The files and versions of one object: one, or one per version with objectVersionHistory.</summary>
    public async Task<List<(ProviderFile File, ProviderObjectVersion Version)>> FetchAsync(KeyVaultObject obj, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = "error";
        try
        {
            var files = await _gate.RunAsync(_vaultUri, () => FetchCoreAsync(obj, cancellationToken), cancellationToken).ConfigureAwait(false);
            result = "ok";
            foreach (var (file, version) in files)
            {
                AzureProviderLog.Fetched(_logger, version.Id, version.Version, file.Path);
            }

            return files;
        }
        catch (ProviderException e)
        {
            AzureProviderLog.FetchFailed(_logger, obj.TypeName, obj.ObjectName, _vaultUri, e.ErrorCode);
            throw;
        }
        finally
        {
            _context.RecordFetch(obj.TypeName, result, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<List<(ProviderFile File, ProviderObjectVersion Version)>> FetchCoreAsync(KeyVaultObject obj, CancellationToken cancellationToken)
    {
        var results = new List<(ProviderFile, ProviderObjectVersion)>();
        var mode = obj.FileMode ?? _context.DefaultFileMode;
        void Add(string path, FetchedContent fetched, string id)
        {
            var version = new ProviderObjectVersion(id, fetched.Version);
            if (fetched.Certificates is not null && fetched.Keys is not null)
            {
                results.Add((new ProviderFile(path + ".crt", fetched.Certificates, mode), version));
                results.Add((new ProviderFile(path + ".key", fetched.Keys, mode), version));
            }

            results.Add((new ProviderFile(path, fetched.Content, mode), version));
        }

        try
        {
            if (obj.IsSingleVersion)
            {
                Add(obj.FileName, await FetchVersionAsync(obj, obj.ObjectVersion, cancellationToken).ConfigureAwait(false), obj.ObjectId);
                return results;
            }

            var versions = await ListEnabledVersionsAsync(obj, cancellationToken).ConfigureAwait(false);
            var start = obj.ObjectVersion is null ? 0 : versions.FindIndex(v => string.Equals(v.Version, obj.ObjectVersion, StringComparison.OrdinalIgnoreCase));

            // Upstream lets one extra version through; this writes exactly objectVersionHistory files.
            for (var index = 0; start >= 0 && start + index < versions.Count && index < obj.ObjectVersionHistory; index++)
            {
                Add($"{obj.FileName}/{index}", await FetchVersionAsync(obj, versions[start + index].Version, cancellationToken).ConfigureAwait(false), $"{obj.ObjectId}/{index}");
            }

            return results;
        }
        catch (RequestFailedException e)
        {
            throw Failed(obj, e);
        }
        catch (CredentialUnavailableException e)
        {
            throw new ProviderException(ProviderErrorKind.Unauthenticated, "CredentialUnavailable",
                $"{Describe(obj)}: no Azure credential is available ({FirstLine(e.Message)})", e);
        }
        catch (AuthenticationFailedException e)
        {
            throw new ProviderException(ProviderErrorKind.Unauthenticated, "AuthenticationFailed",
                $"{Describe(obj)}: could not get an Azure AD token for Key Vault ({AuthenticationReason(e)})", e);
        }
    }

    private async Task<FetchedContent> FetchVersionAsync(KeyVaultObject obj, string? version, CancellationToken cancellationToken)
    {
        switch (obj.Type)
        {
            case KeyVaultObjectType.Secret:
            {
                KeyVaultSecret secret = await _secrets.GetSecretAsync(obj.ObjectName, version, cancellationToken).ConfigureAwait(false);
                var value = secret.Value ?? string.Empty;
                if (secret.Properties.KeyId is not null)
                {
                    switch (secret.Properties.ContentType)
                    {
                        case KeyVaultContent.PemContentType:
                            break;
                        case KeyVaultContent.Pkcs12ContentType:
                            if (!obj.Pfx)
                            {
                                value = ConvertPfx(obj, value);
                            }

                            break;
                        default:
                            throw new ProviderException(ProviderErrorKind.FailedPrecondition, "UnknownContentType",
                                $"{Describe(obj)}: failed to get certificate. unknown content type '{secret.Properties.ContentType}'");
                    }
                }

                byte[]? certificates = null;
                byte[]? keys = null;
                if (_separateCertAndKey && secret.Properties.KeyId is not null && !obj.Pfx)
                {
                    (certificates, keys) = KeyVaultContent.SplitCertificatesAndKeys(value);
                }

                try
                {
                    return new FetchedContent(KeyVaultContent.Decode(value, obj.Encoding), secret.Properties.Version, certificates, keys);
                }
                catch (FormatException)
                {
                    throw new ProviderException(ProviderErrorKind.FailedPrecondition, "DecodeFailed",
                        $"{Describe(obj)}: the secret's value is not valid {obj.Encoding}; fix the value or the objectEncoding");
                }
            }

            case KeyVaultObjectType.Key:
            {
                var jwk = await _keys.GetKeyAsync(obj.ObjectName, version, cancellationToken).ConfigureAwait(false);
                var pem = KeyVaultContent.PublicKeyPem(jwk, out var error)
                    ?? throw new ProviderException(ProviderErrorKind.FailedPrecondition, "UnsupportedKeyType", $"{Describe(obj)}: {error}");
                var kid = jwk.TryGetProperty("kid", out var k) ? k.GetString() ?? string.Empty : string.Empty;
                return new FetchedContent(System.Text.Encoding.UTF8.GetBytes(pem), KeyVaultObjectVersion.LastSegment(kid));
            }

            default:
            {
                KeyVaultCertificate certificate = version is null
                    ? await _certificates.GetCertificateAsync(obj.ObjectName, cancellationToken).ConfigureAwait(false)
                    : await _certificates.GetCertificateVersionAsync(obj.ObjectName, version, cancellationToken).ConfigureAwait(false);
                return new FetchedContent(System.Text.Encoding.UTF8.GetBytes(KeyVaultContent.CertificatePem(certificate.Cer)), certificate.Properties.Version);
            }
        }
    }

    private string ConvertPfx(KeyVaultObject obj, string value)
    {
        try
        {
            return KeyVaultContent.Pkcs12ToPem(value, _constructPemChain);
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
        {
            throw new ProviderException(ProviderErrorKind.FailedPrecondition, "InvalidPkcs12", $"{Describe(obj)}: the certificate's PFX could not be decoded", e);
        }
    }

    /// <summary>Enabled versions, newest first (by created).</summary>
    private async Task<List<KeyVaultObjectVersion>> ListEnabledVersionsAsync(KeyVaultObject obj, CancellationToken cancellationToken)
    {
        var versions = new List<KeyVaultObjectVersion>();
        switch (obj.Type)
        {
            case KeyVaultObjectType.Secret:
                await foreach (var p in _secrets.GetPropertiesOfSecretVersionsAsync(obj.ObjectName, cancellationToken).ConfigureAwait(false))
                {
                    versions.Add(new KeyVaultObjectVersion(p.Version, p.Enabled == true, p.CreatedOn ?? DateTimeOffset.MinValue));
                }

                break;
            case KeyVaultObjectType.Key:
                versions.AddRange(await _keys.GetVersionsAsync(obj.ObjectName, cancellationToken).ConfigureAwait(false));
                break;
            default:
                await foreach (var p in _certificates.GetPropertiesOfCertificateVersionsAsync(obj.ObjectName, cancellationToken).ConfigureAwait(false))
                {
                    versions.Add(new KeyVaultObjectVersion(p.Version, p.Enabled == true, p.CreatedOn ?? DateTimeOffset.MinValue));
                }

                break;
        }

        return versions.Where(v => v.Enabled).OrderByDescending(v => v.Created).ToList();
    }

    private static ProviderException Failed(KeyVaultObject obj, RequestFailedException e)
    {
        var what = $"{Describe(obj)}: Key Vault answered {e.Status} {e.ErrorCode}";
        return e.Status switch
        {
            404 => new ProviderException(ProviderErrorKind.NotFound, "ObjectNotFound", $"{what}; check objectName, objectType and objectVersion", e),
            403 when InnerErrorCode(e)?.EndsWith("Disabled", StringComparison.Ordinal) == true => new ProviderException(ProviderErrorKind.FailedPrecondition, "ObjectDisabled",
                $"{what} ({InnerErrorCode(e)}): the version is disabled; enable it in the vault or set objectVersion to an enabled version", e),
            403 => new ProviderException(ProviderErrorKind.PermissionDenied, "PermissionDenied", $"{what}; grant the identity get (and list, for objectVersionHistory) on the vault", e),
            401 => new ProviderException(ProviderErrorKind.Unauthenticated, "Unauthenticated", $"{what}; check tenantID and the identity", e),
            429 => new ProviderException(ProviderErrorKind.ResourceExhausted, "Throttled", $"{what}; Key Vault is throttling after retries", e),
            400 => new ProviderException(ProviderErrorKind.InvalidArgument, "BadRequest", what, e),
            _ => new ProviderException(ProviderErrorKind.Unavailable, "KeyVaultUnavailable", what, e),
        };
    }

    /// <summary>Key Vault's <c>error.innererror.code</c> (SecretDisabled, ForbiddenByRbac, ...), when the body has one.</summary>
    private static string? InnerErrorCode(RequestFailedException e)
    {
        var body = e.GetRawResponse()?.Content;
        if (body is null)
        {
            return null;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body.ToMemory());
            return document.RootElement.TryGetProperty("error", out var error)
                && error.TryGetProperty("innererror", out var inner)
                && inner.TryGetProperty("code", out var code)
                && code.ValueKind == System.Text.Json.JsonValueKind.String
                ? code.GetString()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Describe(KeyVaultObject obj) =>
        $"failed to get objectType:{obj.TypeName}, objectName:{obj.ObjectName}, objectVersion:{obj.ObjectVersion}";

    /// <summary>The credential's first line, plus Azure AD's own error (AADSTS code and description) when it sits further down.</summary>
    private static string AuthenticationReason(Exception e)
    {
        var first = FirstLine(e.Message).Trim();
        string? aad = null;
        for (var inner = (Exception?)e; inner is not null && aad is null; inner = inner.InnerException)
        {
            aad = inner.Message.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("AADSTS", StringComparison.Ordinal));
        }

        if (aad is null || first.Contains("AADSTS", StringComparison.Ordinal))
        {
            return first;
        }

        return $"{first} {(aad.Length > 400 ? aad[..400] : aad)}";
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? message : message[..newline];
    }

    /// <summary>One fetched version: the file content, and for certificate-backed secrets split on request, the parts.</summary>
    private sealed record FetchedContent(byte[] Content, string Version, byte[]? Certificates = null, byte[]? Keys = null);
}
