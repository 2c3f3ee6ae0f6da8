using System.Reflection;
using Csi.Common;
using Csi.Common.Metrics;
using CsiProxy.Win.Groups;
using CsiProxy.Win.Server.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CsiProxy.Win.Server;

/// <summary>Builds the proxy: the five groups over the given host layer, each gRPC service on its own listener, and /metrics when asked for.</summary>
public static class ProxyApp
{
    public static string Version
        => typeof(ProxyApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <param name="options">The parsed flags.</param>
    /// <param name="hosts">The host layer every group runs on.</param>
    /// <param name="listeners">Where each group listens.</param>
    /// <param name="logging">More logging set-up after the console's (tests add a capturing provider).</param>
    public static WebApplication Build(ProxyOptions options, ProxyHosts hosts, IProxyListeners listeners, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(listeners);

        var builder = SlimHost.CreateBuilder();
        SlimHost.ConfigureLogging(builder.Logging, LogLevelFor(options.Verbosity), json: false);
        logging?.Invoke(builder.Logging);
        if (options.WindowsService && OperatingSystem.IsWindows())
        {
            // Stop and Shutdown from the service control manager stop the host, which drains calls in flight.
            builder.Services.AddWindowsService(service => service.ServiceName = "csiproxy");
        }
        listeners.Configure(builder);

        var paths = options.PathRules();
        var metrics = new MetricsRegistry();
        ProcessMetrics.Register(metrics);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton<IDiskApi>(s => new DiskGroup(hosts.Disks, s.GetService<ILogger<DiskGroup>>()));
        builder.Services.AddSingleton<IVolumeApi>(s => new VolumeGroup(hosts.Volumes, paths, s.GetService<ILogger<VolumeGroup>>()));
        builder.Services.AddSingleton<IFilesystemApi>(_ => new FilesystemGroup(hosts.Files, paths));
        builder.Services.AddSingleton<ISmbApi>(s => new SmbGroup(hosts.Smb, hosts.Files, paths, options.RequirePrivacy, s.GetService<ILogger<SmbGroup>>()));
        builder.Services.AddSingleton<ISystemApi>(s => new SystemGroup(hosts.System, options.ServiceAllowList(), s.GetService<ILogger<SystemGroup>>()));
        // A singleton: the interceptor owns the call metrics, which are registered once.
        builder.Services.AddSingleton<ProxyInterceptor>();
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<ProxyInterceptor>());

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var group in ApiGroup.Served)
            {
                var key = listeners.KeyFor(group);
                listeners.Listen(kestrel, group, l => ListenerScope.Tag(l, key));
            }
            if (options.MetricsEndPoint is { } endPoint)
            {
                kestrel.Listen(endPoint, l =>
                {
                    l.Protocols = HttpProtocols.Http1;
                    ListenerScope.Tag(l, ListenerScope.MetricsKey);
                });
            }
        });

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("csi-proxy");
        app.UseRouting();
        app.Use((context, next) => ListenerScope.Enforce(context, next, logger));
        app.MapGrpcService<DiskService>().WithMetadata(new ListenerScope(listeners.KeyFor(ApiGroup.DiskV1)));
        app.MapGrpcService<VolumeService>().WithMetadata(new ListenerScope(listeners.KeyFor(ApiGroup.VolumeV1)));
        app.MapGrpcService<FilesystemService>().WithMetadata(new ListenerScope(listeners.KeyFor(ApiGroup.FilesystemV1)));
        app.MapGrpcService<SmbService>().WithMetadata(new ListenerScope(listeners.KeyFor(ApiGroup.SmbV1)));
        app.MapGrpcService<SystemService>().WithMetadata(new ListenerScope(listeners.KeyFor(ApiGroup.SystemV1Alpha1)));
        if (options.MetricsEndPoint is { } metricsEndPoint)
        {
            app.MapGet("/metrics", context =>
            {
                context.Response.ContentType = MetricsRegistry.ContentType;
                return metrics.WriteToAsync(context.Response.Body, context.RequestAborted);
            }).WithMetadata(new ListenerScope(ListenerScope.MetricsKey));
            app.MapGet("/healthz", context => context.Response.WriteAsync("ok")).WithMetadata(new ListenerScope(ListenerScope.MetricsKey));
            ServerLog.Metrics(logger, metricsEndPoint);
        }

        var roots = paths.Roots;
        var services = options.ServiceAllowList().Names;
        ServerLog.Settings(logger, roots, options.RequirePrivacy, services);
        var version = Version;
        foreach (var group in ApiGroup.Served)
        {
            var listener = listeners.KeyFor(group);
            ServerLog.Serving(logger, version, group, listener);
        }
        return app;
    }

    /// <summary>klog levels: 0-1 changes and failures, 2-3 every call, 4 and up everything.</summary>
    public static LogLevel LogLevelFor(long verbosity) => verbosity switch
    {
        >= 4 => LogLevel.Trace,
        >= 2 => LogLevel.Debug,
        _ => LogLevel.Information,
    };
}
