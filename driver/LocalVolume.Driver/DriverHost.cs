using System.Text;
using System.Text.Json;
using Csi.Common.Flags;
using Csi.Common.Hosting;
using Csi.Common.Metrics;
using Csi.Common.Mounting;
using LocalVolume.Driver.CsiServices;
using LocalVolume.Driver.Diagnostics;
using LocalVolume.Driver.Node;
using LocalVolume.Driver.Tools;
using LocalVolume.Driver.Volumes;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LocalVolume.Driver;

/// <summary>Wires the driver: CSI gRPC on the unix socket, /metrics and /healthz on their own listener.</summary>
public static class DriverHost
{
    private const string Program = "local-volume-csi-driver";

    public static async Task<int> RunAsync(string[] args)
    {
        var (parsed, exitCode) = CommandLineEntry.Parse(Program, () => DriverOptions.Parse(args),
            o => o.ShowHelp ? DriverOptions.Usage() : o.ShowVersion ? VersionJson() + "\n" : null, Console.Out, Console.Error);
        if (parsed is not { } options)
        {
            return exitCode ?? 2;
        }

        WebApplication app;
        try
        {
            app = Build(options);
            // Pools are readied and repaired before the socket answers: no call sees a half-repaired state.
            await app.Services.GetRequiredService<VolumeCatalog>().StartAsync(CancellationToken.None).ConfigureAwait(false);
            await app.StartAsync().ConfigureAwait(false);
            global::Csi.Common.SlimHost.ReleaseStartupGarbage();
        }
        catch (Exception e) when (e is IOException or StorageToolException or InvalidDataException or JsonException)
        {
            await Console.Error.WriteLineAsync($"{Program}: cannot serve: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        await using var _ = app;
        File.SetUnixFileMode(options.SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LocalVolume.Driver");
        var pools = string.Join(", ", options.Pools.Select(p => $"{p.Name} ({p.Layout.ToString().ToLowerInvariant()}, {p.Directory}, {p.CapacityBytes} bytes)"));
        var mode = options.Mode.ToString().ToLowerInvariant();
        DriverLog.Started(logger, options.DriverName, DriverVersion.Version, mode, options.SocketPath, options.NodeId, pools);
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    public static WebApplication Build(DriverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var socketPath = options.SocketPath;
        global::Csi.Common.UnixSocketFile.PrepareForBind(socketPath);

        var builder = global::Csi.Common.SlimHost.CreateBuilder();
        global::Csi.Common.SlimHost.ConfigureLogging(builder.Logging, options.LogVerbosity >= 4 ? LogLevel.Debug : LogLevel.Information, options.LogFormatJson);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenUnixSocket(socketPath, listen => listen.Protocols = HttpProtocols.Http2);
            if (options.MetricsAddr.Length > 0 && global::Csi.Common.ListenAddress.TryParse(options.MetricsAddr, out var metricsEndPoint))
            {
                kestrel.Listen(metricsEndPoint, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });

        var services = builder.Services;
        services.AddGrpc(grpc => grpc.EnableDetailedErrors = false);
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new MetricsRegistry());
        services.AddSingleton<DriverMetrics>();
        services.AddSingleton<IMounter>(new LinuxMounter());
        services.AddSingleton(sp => new VolumeCatalog(
            options.Pools.Select(p => new Pool(p, Pool.CreateLayout(p))).ToList(),
            ownsState: options.ServesController,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<VolumeCatalog>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<NodeVolumes>();
        services.AddBoundGrpcService(_ => new IdentityService(options), global::Csi.V1.Identity.BindService);
        if (options.ServesController)
        {
            services.AddBoundGrpcService(sp => new ControllerService(sp.GetRequiredService<VolumeCatalog>(), options, sp.GetRequiredService<ILogger<ControllerService>>(), sp.GetRequiredService<DriverMetrics>()),
                global::Csi.V1.Controller.BindService);
        }
        if (options.ServesNode)
        {
            services.AddBoundGrpcService(sp => new NodeService(sp.GetRequiredService<NodeVolumes>(), options, sp.GetRequiredService<ILogger<NodeService>>(), sp.GetRequiredService<DriverMetrics>()),
                global::Csi.V1.Node.BindService);
        }

        var app = builder.Build();
        app.MapBoundGrpcServices();
        global::Csi.Common.SlimHost.MapHealthAndMetrics(app, app.Services.GetRequiredService<MetricsRegistry>(), "/healthz");
        return app;
    }

    private static string VersionJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("driverName", DriverOptions.DefaultDriverName);
            writer.WriteString("version", DriverVersion.Version);
            writer.WriteString("runtime", System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
