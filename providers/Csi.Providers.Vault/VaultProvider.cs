using System.Diagnostics;
using System.Text.Json;
using Csi.Common.Flags;
using Csi.ProviderHost;
using Csi.ProviderHost.Credentials;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Csi.Providers.Vault;

/// <summary>
/// The HashiCorp Vault provider: logs in with the pod's service-account token (kubernetes or jwt auth), reads
/// each distinct path once per mount, in parallel, and writes each object's value (or the whole response) to
/// its file. Parameters, flags, defaults and errors follow hashicorp/vault-csi-provider.
/// </summary>
internal sealed class VaultProvider : SecretsProvider, IDisposable
{
    private static readonly string[] LogLevels = ["trace", "debug", "info", "warn", "warning", "error", "off"];
    private static readonly string[] OutputFormats = ["", "yaml", "json", "json-pretty"];

    private readonly VaultProviderOptions _options;
    private readonly Func<string, string?> _getEnvironment;
    private readonly TimeProvider _time;
    private readonly VaultObjectVersions _versions;
    private readonly VaultHttpClients _clients = new();
    private readonly Lock _gate = new();
    private ILogger _logger;
    private readonly bool _loggerInjected;
    private VaultEnvironment? _environment;
    private CredentialCache<VaultTokenSession>? _tokens;
    private ProviderMetrics? _metrics;

    public VaultProvider(
        VaultProviderOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        Func<string, string?>? environment = null,
        byte[]? versionKey = null)
    {
        _options = options ?? new VaultProviderOptions();
        _time = timeProvider ?? TimeProvider.System;
        _getEnvironment = environment ?? Environment.GetEnvironmentVariable;
        _versions = new VaultObjectVersions(versionKey);
        _loggerInjected = loggerFactory is not null;
        _logger = loggerFactory?.CreateLogger("Csi.Providers.Vault") ?? NullLogger.Instance;
    }

    public override string Name => "vault";

    public override string RuntimeName => "vault-csi-provider";

    public VaultProviderOptions Options => _options;

    /// <summary>Vault tokens by pod configuration; sized by -cache-size when first used.</summary>
    internal CredentialCache<VaultTokenSession> Tokens
    {
        get
        {
            lock (_gate)
            {
                if (_tokens is null)
                {
                    // A session renews its own token before the lease ends, so entries expire only by -cache-size.
                    _tokens = new CredentialCache<VaultTokenSession>("vault-token", _options.CacheSize, TimeSpan.Zero, _time);
                    if (_metrics is not null)
                    {
                        _tokens.ReportTo(_metrics, Name);
                    }
                }
                return _tokens;
            }
        }
    }

    internal VaultHttpClients HttpClients => _clients;

    private VaultEnvironment VaultEnvironment
    {
        get
        {
            lock (_gate)
            {
                if (_environment is null)
                {
                    try
                    {
                        _environment = VaultEnvironment.Read(_getEnvironment);
                    }
                    catch (FlagException e)
                    {
                        throw new ProviderException(ProviderErrorKind.FailedPrecondition, "InvalidProviderConfig", e.Message);
                    }
                }
                return _environment;
            }
        }
    }

    private VaultClientSettings ClientSettings => new(
        VaultEnvironment.ClientTimeout ?? _options.ClientTimeout,
        VaultEnvironment.MaxRetries ?? _options.MaxRetries,
        _options.RetryWaitMin,
        _options.RetryWaitMax);

    public override void DefineFlags(FlagSet flags, ProviderHostOptions host)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(host);
        var o = _options;
        flags.AddString("vault-addr", string.Empty, "Vault address used when a SecretProviderClass sets no vaultAddress (else VAULT_ADDR)", v => o.VaultAddr = v);
        flags.AddString("vault-mount", VaultProviderOptions.DefaultAuthMount, "auth mount to log in at when a class sets none; a kubernetes or jwt mount", v => o.VaultMount = v);
        flags.AddString("vault-namespace", string.Empty, "Vault namespace used when a class sets none (else VAULT_NAMESPACE)", v => o.VaultNamespace = v);
        flags.AddString("vault-tls-ca-cert", string.Empty, "PEM file of the CA that signed Vault's certificate; wins over -vault-tls-ca-directory (else VAULT_CACERT)", v => o.TlsCaCert = v);
        flags.AddString("vault-tls-ca-directory", string.Empty, "directory of PEM CA certificates trusted for Vault (else VAULT_CAPATH)", v => o.TlsCaDirectory = v);
        flags.AddString("vault-tls-server-name", string.Empty, "TLS server name (SNI) to send to Vault (else VAULT_TLS_SERVER_NAME)", v => o.TlsServerName = v);
        flags.AddString("vault-tls-client-cert", string.Empty, "PEM client certificate for mutual TLS; needs -vault-tls-client-key (else VAULT_CLIENT_CERT)", v => o.TlsClientCert = v);
        flags.AddString("vault-tls-client-key", string.Empty, "PEM key of the client certificate; needs -vault-tls-client-cert (else VAULT_CLIENT_KEY)", v => o.TlsClientKey = v);
        flags.AddBool("vault-tls-skip-verify", false, "do not verify Vault's certificate; for tests only (else VAULT_SKIP_VERIFY)", v => o.TlsSkipVerify = v);
        flags.AddInt("cache-size", VaultProviderOptions.DefaultCacheSize, "most Vault tokens kept in memory, one per pod identity on this node; 0 or less turns the cache off",
            v => o.CacheSize = (int)Math.Clamp(v, int.MinValue, int.MaxValue));
        flags.AddString("hmac-secret-name", o.HmacSecretName, "Accepted for compatibility; object versions use an HMAC key generated at start that never leaves the process.", v => o.HmacSecretName = v);
        flags.AddString("log-level", "info", "least level logged: trace, debug, info, warn, error or off", v =>
        {
            o.LogLevel = v;
            host.MinimumLogLevel = v.Trim().ToLowerInvariant() switch
            {
                "trace" => LogLevel.Trace,
                "debug" => LogLevel.Debug,
                "warn" => LogLevel.Warning,
                "error" => LogLevel.Error,
                "off" => LogLevel.None,
                _ => LogLevel.Information,
            };
        });
        flags.AddBool("debug", false, "deprecated spelling of -log-level=debug", v =>
        {
            if (v)
            {
                host.MinimumLogLevel = LogLevel.Debug;
            }
        });
        flags.AddString("output", "json", "format of --version output (yaml, json, json-pretty); accepted for compatibility, the text form is printed", v => o.Output = v);
    }

    public override void ValidateFlags()
    {
        if (!LogLevels.Contains(_options.LogLevel.Trim().ToLowerInvariant(), StringComparer.Ordinal))
        {
            throw new FlagException($"--log-level: \"{_options.LogLevel}\" is not a log level; use info, debug, trace, warn, error or off");
        }
        if (!OutputFormats.Contains(_options.Output, StringComparer.Ordinal))
        {
            throw new FlagException("--output should be one of: 'yaml', 'json', 'json-pretty'");
        }
        if (_options.VaultAddr.Length > 0 && !VaultConnection.TryParseAddress(_options.VaultAddr, out _, out _))
        {
            throw new FlagException($"--vault-addr: \"{_options.VaultAddr}\" is not a Vault address; use https://host:8200 (http:// without TLS, unix:///path for a Vault Agent socket)");
        }
        if (_options.VaultMount.Trim('/').Length == 0)
        {
            throw new FlagException("--vault-mount: must name the auth mount, e.g. kubernetes or jwt");
        }
        if ((_options.TlsClientCert.Length == 0) != (_options.TlsClientKey.Length == 0))
        {
            throw new FlagException("--vault-tls-client-cert, --vault-tls-client-key: both client cert and client key must be provided, or neither");
        }

        var environment = VaultEnvironment.Read(_getEnvironment);
        if (environment.Address.Length > 0 && !VaultConnection.TryParseAddress(environment.Address, out _, out _))
        {
            throw new FlagException($"{environment.AddressSource}: \"{environment.Address}\" is not a Vault address; use https://host:8200");
        }
        lock (_gate)
        {
            _environment = environment;
            _tokens = null;
        }
    }

    public override void UseMetrics(ProviderMetrics metrics)
    {
        lock (_gate)
        {
            _metrics = metrics;
            _tokens?.ReportTo(metrics, Name);
        }
    }

    public override void UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (!_loggerInjected)
        {
            _logger = loggerFactory.CreateLogger("Csi.Providers.Vault");
        }
    }

    public override async Task<MountResult> MountAsync(MountContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var config = VaultMountConfig.Parse(context.Parameters, _options, VaultEnvironment, (where, key) => VaultProviderLog.IgnoredKey(_logger, where, key));
        var client = new VaultClient(_clients.Get(config.Connection), config.Connection, ClientSettings, _time, _logger);
        var session = Tokens.GetOrAdd(config.TokenCacheKey(context.Pod), () => new VaultTokenSession(_time));

        // Objects with equal requests share one call: the username and password of one dynamic credential match.
        var requests = config.Objects
            .GroupBy(o => o.Request.Key, StringComparer.Ordinal)
            .Select(g => new SharedRequest(g.First().Request, g.Select(o => o.ObjectName).ToArray()))
            .ToList();
        Task<VaultLoginAuth> Login(CancellationToken _) => LoginAsync(client, config, context);
        var responses = await context.FetchAllAsync(requests, (request, token) => FetchAsync(client, session, Login, request, config, context, token), cancellationToken).ConfigureAwait(false);
        var byRequest = new Dictionary<string, VaultSecretResponse>(StringComparer.Ordinal);
        for (var i = 0; i < requests.Count; i++)
        {
            byRequest[requests[i].Request.Key] = responses[i];
        }

        var files = new List<ProviderFile>(config.Objects.Count);
        var versions = new List<ProviderObjectVersion>(config.Objects.Count);
        foreach (var secretObject in config.Objects)
        {
            var response = byRequest[secretObject.Request.Key];
            var content = VaultSecretContent.Extract(response, secretObject);
            var mode = secretObject.FilePermission ?? context.DefaultFileMode;
            files.Add(new ProviderFile(secretObject.ObjectName, content, mode));
            versions.Add(new ProviderObjectVersion(secretObject.ObjectName, _versions.For(secretObject, response, content)));
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var octal = Convert.ToString(mode, 8);
                var path = secretObject.Request.DisplayPath;
                VaultProviderLog.ObjectFetched(_logger, secretObject.ObjectName, secretObject.Request.Method, path, octal, context.Pod.Namespace, context.Pod.Name);
            }
        }
        return new MountResult(files, versions);
    }

    public void Dispose()
    {
        _clients.Dispose();
    }

    private async Task<VaultSecretResponse> FetchAsync(
        VaultClient client,
        VaultTokenSession session,
        Func<CancellationToken, Task<VaultLoginAuth>> login,
        SharedRequest shared,
        VaultMountConfig config,
        MountContext context,
        CancellationToken cancellationToken)
    {
        var request = shared.Request;
        var token = await session.AcquireAsync(login, cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        VaultSecretResponse? response;
        try
        {
            try
            {
                response = await client.ReadAsync(request, token.Value, cancellationToken).ConfigureAwait(false);
            }
            catch (VaultRequestException e) when (e is { Failure: VaultFailure.Status, StatusCode: 403 } && !token.Fresh)
            {
                // The cached token may have been revoked or have expired early: log in again, once.
                VaultProviderLog.Relogin(_logger, context.Pod.Namespace, context.Pod.Name, request.Method, request.DisplayPath);
                token = await session.RenewAsync(token.Value, login, cancellationToken).ConfigureAwait(false);
                started = Stopwatch.GetTimestamp();
                response = await client.ReadAsync(request, token.Value, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (VaultRequestException e)
        {
            var error = VaultErrors.Read(e, request, shared.ObjectNames, config);
            context.RecordFetch("secret", error.ErrorCode, Stopwatch.GetElapsedTime(started));
            throw error;
        }
        context.RecordFetch("secret", "success", Stopwatch.GetElapsedTime(started));

        VaultSecretContent.RequireData(response, request, shared.ObjectNames);
        if (response!.Warnings is { ValueKind: JsonValueKind.Array } warnings && _logger.IsEnabled(LogLevel.Warning))
        {
            foreach (var warning in warnings.EnumerateArray().Where(w => w.ValueKind == JsonValueKind.String))
            {
                VaultProviderLog.VaultWarning(_logger, request.Method, request.DisplayPath, VaultErrors.Clean(warning.GetString()!, token.Value));
            }
        }
        return response;
    }

    private async Task<VaultLoginAuth> LoginAsync(VaultClient client, VaultMountConfig config, MountContext context)
    {
        var serviceAccountToken = context.RequireToken(config.Audience);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var auth = await client.LoginAsync(config.AuthMount.Value, config.RoleName, serviceAccountToken.Token, CancellationToken.None).ConfigureAwait(false);
            context.RecordFetch("login", "success", Stopwatch.GetElapsedTime(started));
            VaultProviderLog.LoggedIn(_logger, config.Connection.Display, config.RoleName, config.AuthMount.Value, context.Pod.Namespace, context.Pod.Name, auth.LeaseDuration);
            return auth;
        }
        catch (VaultRequestException e)
        {
            var error = VaultErrors.Login(e, config, context.Pod, serviceAccountToken, _time.GetUtcNow());
            context.RecordFetch("login", error.ErrorCode, Stopwatch.GetElapsedTime(started));
            throw error;
        }
    }

    private sealed record SharedRequest(VaultRequest Request, string[] ObjectNames);
}
