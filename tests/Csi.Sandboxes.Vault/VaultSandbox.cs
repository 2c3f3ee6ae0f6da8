using System.Security.Cryptography.X509Certificates;
using System.Text.Encodings.Web;
using System.Text.Json;
using Csi.Sandboxes.Common;
using Csi.Sandboxes.Vault.Internal;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Csi.Sandboxes.Vault;

/// <summary>
/// A loopback HTTP(S) server speaking HashiCorp Vault's public API, for tests: clients talk to it over a real
/// socket and get Vault's status codes, shapes and error messages. Seed it, point the code under test at
/// <see cref="Address"/>, inject faults, then inspect <see cref="RequestLog"/>.
/// </summary>
public sealed partial class VaultSandbox : IAsyncDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly VaultCore _core;
    private readonly FaultInjector _faults = new();
    private readonly RequestLog _log = new();
    private readonly TextWriter? _console;
    private readonly Lock _consoleGate = new();
    private readonly bool _ownsIssuer;
    private LoopbackServer? _server;

    private VaultSandbox(VaultSandboxOptions options, ServiceAccountTokenIssuer issuer, bool ownsIssuer)
    {
        TokenIssuer = issuer;
        _ownsIssuer = ownsIssuer;
        TimeProvider = options.TimeProvider;
        _console = options.RequestLogWriter;
        _core = new VaultCore(options.TimeProvider, issuer, options.RootToken ?? "hvs." + VaultText.Random(24), options.Version);
        if (options.MountDefaultKvV2)
        {
            EnableKvV2("secret");
        }
    }

    /// <summary>The base address, e.g. <c>http://127.0.0.1:41234/</c>; requests go to <c>{Address}v1/...</c>.</summary>
    public Uri Address => _server?.BaseAddress ?? throw new InvalidOperationException("not started");

    /// <summary>A root token (policy <c>root</c>, never expires) valid in every namespace.</summary>
    public string RootToken => _core.RootToken;

    /// <summary>The Kubernetes token signer trusted by kubernetes and jwt auth mounts unless configured otherwise.</summary>
    public ServiceAccountTokenIssuer TokenIssuer { get; }

    /// <summary>The server certificate when serving HTTPS (trust it in the client), otherwise null.</summary>
    public X509Certificate2? ServerCertificate => _server?.ServerCertificate;

    /// <summary>The sandbox clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Starts a sandbox listening on loopback.</summary>
    public static async Task<VaultSandbox> StartAsync(VaultSandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new VaultSandboxOptions();
        var ownsIssuer = options.TokenIssuer is null;
        var issuer = options.TokenIssuer ?? new ServiceAccountTokenIssuer(timeProvider: options.TimeProvider);
        var sandbox = new VaultSandbox(options, issuer, ownsIssuer);
        try
        {
            var trusted = options.TrustedClientCertificateAuthorities.ToArray();
            var serverOptions = new LoopbackServerOptions
            {
                Address = options.ListenAddress,
                Port = options.Port,
                UseHttps = options.UseTls || options.TlsCertificate is not null,
                ServerCertificate = options.TlsCertificate,
                ClientCertificateMode = options.RequireClientCertificate ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.NoCertificate,
                ClientCertificateValidation = options.RequireClientCertificate
                    ? (cert, _, _) => SandboxCertificates.ChainsTo(cert, trusted)
                    : null,
            };
            sandbox._server = await LoopbackServer.StartAsync(sandbox.HandleAsync, serverOptions, cancellationToken).ConfigureAwait(false);
            return sandbox;
        }
        catch
        {
            await sandbox.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates a namespace (and its parents), e.g. <c>ns1</c> or <c>ns1/team</c>.</summary>
    public void CreateNamespace(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        lock (_core.Gate)
        {
            _core.CreateNamespace(path);
        }
    }

    /// <summary>Applies a seed document (see README) to this sandbox.</summary>
    public void ApplySeed(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        VaultSeed.Apply(this, json);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        lock (_core.Gate)
        {
            _core.Dispose();
        }

        if (_ownsIssuer)
        {
            TokenIssuer.Dispose();
        }
    }

    private T Locked<T>(Func<T> action)
    {
        lock (_core.Gate)
        {
            return action();
        }
    }

    private void Locked(Action action)
    {
        lock (_core.Gate)
        {
            action();
        }
    }
}
