using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Csi.ProviderHost;

namespace Csi.Providers.Vault;

/// <summary>
/// One HttpClient per distinct address and TLS configuration, kept for the process: connections are pooled per
/// Vault. A client is rebuilt when a CA, certificate or key file changes on disk.
/// </summary>
internal sealed class VaultHttpClients : IDisposable
{
    // Responses above this are not Vault secrets.
    private const long MaxResponseBytes = 32L * 1024 * 1024;

    // By address and TLS settings; each entry remembers the file times it was built with.
    private readonly ConcurrentDictionary<string, Entry> _clients = new(StringComparer.Ordinal);

    public int Count => _clients.Count;

    public HttpClient Get(VaultConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var key = connection.ClientKey;
        var stamp = connection.Tls.FileStamp();
        var entry = _clients.AddOrUpdate(
            key,
            _ => new Entry(stamp, Lazy(connection)),
            // A rotated CA, certificate or key gets a new client; the old one is dropped, not disposed, as
            // requests may still be using it (its idle connections close on their own).
            (_, current) => current.Stamp == stamp ? current : new Entry(stamp, Lazy(connection)));
        try
        {
            return entry.Client.Value;
        }
        catch (ProviderException)
        {
            // A bad CA or key file: forget it so a fixed file is read on the next mount.
            _clients.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var entry in _clients.Values.Where(e => e.Client.IsValueCreated))
        {
            try
            {
                entry.Client.Value.Dispose();
            }
            catch (ProviderException)
            {
                // Never built.
            }
        }
        _clients.Clear();
    }

    private static Lazy<HttpClient> Lazy(VaultConnection connection) => new(() => Create(connection), LazyThreadSafetyMode.ExecutionAndPublication);

    private static HttpClient Create(VaultConnection connection)
    {
        var handler = new SocketsHttpHandler
        {
            // Re-resolve DNS now and then: Vault behind a Service may move.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            // Standby nodes redirect to the active node with 307, as the Go client follows.
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
        };
        try
        {
            if (connection.UnixSocketPath is { } socketPath)
            {
                handler.ConnectCallback = (_, cancellationToken) => ConnectUnixSocketAsync(socketPath, cancellationToken);
            }
            if (connection.Address.Scheme == Uri.UriSchemeHttps)
            {
                handler.SslOptions = SslOptions(connection.Tls);
            }
            return new HttpClient(handler, disposeHandler: true)
            {
                Timeout = Timeout.InfiniteTimeSpan,
                MaxResponseContentBufferSize = MaxResponseBytes,
            };
        }
        catch
        {
            handler.Dispose();
            throw;
        }
    }

    private static SslClientAuthenticationOptions SslOptions(VaultTlsSettings tls)
    {
        var options = new SslClientAuthenticationOptions();
        if (tls.SkipVerify)
        {
            // The operator asked for it (vaultSkipTLSVerify, -vault-tls-skip-verify, VAULT_SKIP_VERIFY).
#pragma warning disable CA5359
            options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (tls.CaCert is not null || tls.CaDirectory is not null)
        {
            // As Go's rootcerts: the CA file wins over the directory; either replaces the system roots.
            var roots = tls.CaCert is { } file ? LoadCaFile(file) : LoadCaDirectory(tls.CaDirectory!);
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(roots);
            options.CertificateChainPolicy = policy;
        }

        if (tls.ClientCert is { } certPath && tls.ClientKey is { } keyPath)
        {
            X509Certificate2 certificate;
            try
            {
                certificate = X509Certificate2.CreateFromPemFile(certPath.Value, keyPath.Value);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                throw Invalid(certPath, $"cannot load the client certificate {certPath.Value} with key {keyPath.Value} ({keyPath.Source}): {e.Message}; both must be PEM and match");
            }
            options.ClientCertificates = [certificate];
            // As Go: send the certificate whatever CAs the server lists.
            options.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        }
        return options;
    }

    private static X509Certificate2Collection LoadCaFile(VaultSetting file)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(file.Value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw Invalid(file, $"cannot read CA certificates from {file.Value}: {e.Message}");
        }
        return roots.Count > 0 ? roots : throw Invalid(file, $"{file.Value} holds no PEM certificate");
    }

    private static X509Certificate2Collection LoadCaDirectory(VaultSetting directory)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            // Hidden entries are skipped, which passes over the ..data machinery of Secret and ConfigMap volumes.
            foreach (var path in Directory.EnumerateFiles(directory.Value, "*", new EnumerationOptions { RecurseSubdirectories = true }).Order(StringComparer.Ordinal))
            {
                var before = roots.Count;
                try
                {
                    roots.ImportFromPemFile(path);
                }
                catch (CryptographicException e)
                {
                    throw Invalid(directory, $"Error loading CA File: Couldn't parse PEM in: {path} ({e.Message})");
                }
                if (roots.Count == before)
                {
                    throw Invalid(directory, $"Error loading CA File: Couldn't parse PEM in: {path}; the directory must hold only PEM certificates");
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw Invalid(directory, $"cannot read CA directory {directory.Value}: {e.Message}");
        }
        return roots.Count > 0 ? roots : throw Invalid(directory, $"{directory.Value} holds no PEM certificate");
    }

    private static ProviderException Invalid(VaultSetting setting, string problem) =>
        setting.Source.StartsWith("parameter ", StringComparison.Ordinal)
            ? ProviderException.InvalidParameter($"{setting.Source["parameter ".Length..]}: {problem}")
            : new ProviderException(ProviderErrorKind.FailedPrecondition, "InvalidProviderConfig", $"{setting.Source}: {problem}");

    private static async ValueTask<Stream> ConnectUnixSocketAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed record Entry(string Stamp, Lazy<HttpClient> Client);
}
