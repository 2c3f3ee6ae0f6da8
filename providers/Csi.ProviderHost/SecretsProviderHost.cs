using Csi.Common.Flags;
using Csi.Common.Hosting;
using Csi.Common.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Csi.ProviderHost;

/// <summary>Runs a provider: v1alpha1 on a unix socket only its user can use, health and metrics on TCP.</summary>
public static class SecretsProviderHost
{
    /// <summary>The whole main of a provider binary.</summary>
    public static async Task<int> RunAsync(SecretsProvider provider, string[] args)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ProviderHostOptions options;
        try
        {
            options = ProviderHostOptions.Parse(provider, args);
        }
        catch (FlagException e)
        {
            await Console.Error.WriteLineAsync($"{provider.Name}-provider: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        if (options.ShowHelp)
        {
            await Console.Out.WriteAsync(ProviderHostOptions.Usage(provider)).ConfigureAwait(false);
            return 0;
        }
        if (options.ShowVersion)
        {
            await Console.Out.WriteLineAsync($"{provider.Name} {provider.Version}").ConfigureAwait(false);
            return 0;
        }

        WebApplication app;
        try
        {
            app = Build(provider, options);
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"{provider.Name}-provider: cannot serve: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        await using var _ = app;
        using var garbage = global::Csi.Common.Hosting.IdleGarbageRelease.Start(TimeProvider.System);
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    public static WebApplication Build(SecretsProvider provider, ProviderHostOptions options, Action<ILoggingBuilder>? configureLogging = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(options);
        var socketPath = options.SocketPath(provider.Name);
        Csi.Common.UnixSocketFile.PrepareForBind(socketPath);

        var builder = Csi.Common.SlimHost.CreateBuilder();
        Csi.Common.SlimHost.ConfigureLogging(builder.Logging, options.MinimumLogLevel ?? (options.LogVerbosity >= 4 ? LogLevel.Debug : LogLevel.Information), options.LogFormatJson);
        configureLogging?.Invoke(builder.Logging);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenUnixSocket(socketPath, listen => listen.Protocols = HttpProtocols.Http2);
            foreach (var address in new[] { options.HealthAddr, options.MetricsAddr }.Where(a => a.Length > 0).Distinct(StringComparer.Ordinal))
            {
                if (Csi.Common.ListenAddress.TryParse(address, out var endPoint))
                {
                    kestrel.Listen(endPoint, listen => listen.Protocols = HttpProtocols.Http1);
                }
            }
        });
        // In-flight mounts finish before the process exits.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<ProviderExceptionInterceptor>());
        builder.Services.AddSingleton(provider);
        builder.Services.AddSingleton(new MetricsRegistry());
        builder.Services.AddSingleton<ProviderMetrics>();
        builder.Services.AddGrpcMethods((sp, methods) =>
        {
            var service = new ProviderService(provider, sp.GetRequiredService<MountPipeline>());
            const string name = ProviderService.ServiceName;
            methods
                .Unary<SecretsStore.Provider.V1Alpha1.VersionRequest, SecretsStore.Provider.V1Alpha1.VersionResponse>(name, nameof(service.Version), service.Version)
                .Unary<SecretsStore.Provider.V1Alpha1.MountRequest, SecretsStore.Provider.V1Alpha1.MountResponse>(name, nameof(service.Mount), service.Mount);
        });
        builder.Services.AddSingleton(sp => new MountPipeline(provider, sp.GetRequiredService<ProviderMetrics>(), sp.LoggerFor<MountPipeline>(), options.FetchConcurrency));

        var app = builder.Build();
        provider.UseLoggerFactory(app.Services.GetRequiredService<ILoggerFactory>());
        provider.UseMetrics(app.Services.GetRequiredService<ProviderMetrics>());
        app.MapGrpcMethods();
        var registry = app.Services.GetRequiredService<MetricsRegistry>();
        Csi.Common.SlimHost.MapHealthAndMetrics(app, registry, "/healthz", "/health/ready");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // The socket carries tokens and secrets: only the provider's own user may connect.
            File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Csi.ProviderHost");
            ProviderHostLog.Started(logger, provider.Name, provider.Version, socketPath);
        });
        return app;
    }
}
