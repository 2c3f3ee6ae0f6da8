using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Csi.Sandboxes.Common;

/// <summary>How a <see cref="LoopbackServer"/> listens.</summary>
public sealed class LoopbackServerOptions
{
    /// <summary>The address to bind; loopback by default.</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>The port; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Serve HTTPS. Without <see cref="ServerCertificate"/> a self-signed one is created in memory.</summary>
    public bool UseHttps { get; set; }

    /// <summary>The server certificate (with private key) when <see cref="UseHttps"/> is set.</summary>
    public X509Certificate2? ServerCertificate { get; set; }

    /// <summary>Whether to ask for / require a client certificate (HTTPS only).</summary>
    public ClientCertificateMode ClientCertificateMode { get; set; } = ClientCertificateMode.NoCertificate;

    /// <summary>Decides whether a presented client certificate is accepted; without it any certificate is accepted.</summary>
    public Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool>? ClientCertificateValidation { get; set; }

    /// <summary>Extra services for the host.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>Logging setup; by default the host logs nothing.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }
}

/// <summary>
/// A Kestrel host (<see cref="WebApplication.CreateSlimBuilder()"/>) on a loopback socket for sandboxes: real HTTP
/// or HTTPS over TCP, a known base address, and connection-level faults (drop connections, stop listening, restart
/// on the same port).
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly Action<WebApplication> _configure;
    private readonly LoopbackServerOptions _options;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly bool _ownsCertificate;
    private WebApplication? _app;
    private volatile bool _dropConnections;
    private bool _disposed;

    private LoopbackServer(Action<WebApplication> configure, LoopbackServerOptions options, X509Certificate2? certificate, bool ownsCertificate)
    {
        _configure = configure;
        _options = options;
        ServerCertificate = certificate;
        _ownsCertificate = ownsCertificate;
    }

    /// <summary>The bound base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The bound port (stays the same across <see cref="RestartAsync"/>).</summary>
    public int Port { get; private set; }

    /// <summary>The server certificate when serving HTTPS; trust it in clients.</summary>
    public X509Certificate2? ServerCertificate { get; }

    /// <summary>True between start and stop.</summary>
    public bool IsListening => _app is not null;

    /// <summary>
    /// While true, every new connection is closed before TLS/HTTP and every request on an existing connection
    /// is aborted: clients see connection resets rather than HTTP errors.
    /// </summary>
    public bool DropConnections
    {
        get => _dropConnections;
        set => _dropConnections = value;
    }

    /// <summary>Starts a host whose only handler is <paramref name="handler"/>.</summary>
    public static Task<LoopbackServer> StartAsync(RequestDelegate handler, LoopbackServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return StartAsync(app => app.Run(handler), options, cancellationToken);
    }

    /// <summary>Starts a host configured by <paramref name="configure"/> (map endpoints, add middleware).</summary>
    public static async Task<LoopbackServer> StartAsync(Action<WebApplication> configure, LoopbackServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configure);
        options ??= new LoopbackServerOptions();

        var ownsCertificate = false;
        var certificate = options.ServerCertificate;
        if (options.UseHttps && certificate is null)
        {
            certificate = SandboxCertificates.CreateSelfSignedServerCertificate();
            ownsCertificate = true;
        }

        var server = new LoopbackServer(configure, options, certificate, ownsCertificate);
        try
        {
            await server.StartCoreAsync(options.Port, cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops listening: further connections are refused until <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StopCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Starts listening again on the same address, port and certificate.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_app is null)
            {
                await StartCoreAsync(Port, cancellationToken, haveLock: true).ConfigureAwait(false);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await StopCoreAsync().ConfigureAwait(false);
            if (_ownsCertificate)
            {
                ServerCertificate?.Dispose();
            }
        }
        finally
        {
            _lifecycle.Release();
        }

        _lifecycle.Dispose();
    }

    private async Task StartCoreAsync(int port, CancellationToken cancellationToken, bool haveLock = false)
    {
        if (!haveLock)
        {
            await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            _options.ConfigureLogging?.Invoke(builder.Logging);
            // A sandbox lives as long as its owner says: no reacting to Ctrl+C or SIGTERM on its own.
            builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
            _options.ConfigureServices?.Invoke(builder.Services);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Listen(_options.Address, port, listen =>
                {
                    listen.Use(next => connection =>
                    {
                        if (_dropConnections)
                        {
                            connection.Abort();
                            return Task.CompletedTask;
                        }

                        return next(connection);
                    });

                    if (_options.UseHttps && ServerCertificate is not null)
                    {
                        listen.UseHttps(https =>
                        {
                            // A selector (rather than a fixed certificate) makes TLS record the client's server name
                            // (ITlsHandshakeFeature.HostName), which sandboxes that answer to one name check.
                            var certificate = ServerCertificate;
                            https.ServerCertificateSelector = (_, _) => certificate;
                            https.ClientCertificateMode = _options.ClientCertificateMode;
                            var validate = _options.ClientCertificateValidation;
                            https.ClientCertificateValidation = (cert, chain, errors) => validate is null || validate(cert, chain, errors);
                        });
                    }
                });
            });

            var app = builder.Build();
            app.Use(async (context, next) =>
            {
                if (_dropConnections)
                {
                    context.Abort();
                    return;
                }

                await next(context).ConfigureAwait(false);
            });
            _configure(app);

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            _app = app;

            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("Kestrel reported no bound address.");
            var bound = new Uri(address);
            Port = bound.Port;
            var host = _options.Address.Equals(IPAddress.IPv6Loopback) ? "[::1]" : _options.Address.Equals(IPAddress.Any) ? "127.0.0.1" : bound.Host;
            BaseAddress = new UriBuilder(bound.Scheme, host, bound.Port, "/").Uri;
        }
        finally
        {
            if (!haveLock)
            {
                _lifecycle.Release();
            }
        }
    }

    private async Task StopCoreAsync()
    {
        var app = _app;
        _app = null;
        if (app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(timeout.Token).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class PassiveHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
