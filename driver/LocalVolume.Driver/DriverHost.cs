using System.Text;
using System.Text.Json;
using Csi.Common.Flags;
using Csi.Common.Hosting;
using Csi.V1;
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
        }
        catch (Exception e) when (e is IOException or StorageToolException or InvalidDataException or JsonException)
        {
            await Console.Error.WriteLineAsync($"{Program}: cannot serve: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        await using var _ = app;
        using var garbage = global::Csi.Common.Hosting.IdleGarbageRelease.Start(TimeProvider.System);
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
            sp.LoggerFor<VolumeCatalog>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<NodeVolumes>();
        services.AddGrpcMethods((sp, methods) =>
        {
            methods.Identity(new IdentityService(options));
            if (options.ServesController)
            {
                ControllerMethods(methods, new ControllerService(sp.GetRequiredService<VolumeCatalog>(), options, sp.LoggerFor<ControllerService>(), sp.GetRequiredService<DriverMetrics>()));
            }
            if (options.ServesNode)
            {
                NodeMethods(methods, new NodeService(sp.GetRequiredService<NodeVolumes>(), options, sp.LoggerFor<NodeService>(), sp.GetRequiredService<DriverMetrics>()));
            }
        });

        var app = builder.Build();
        app.MapGrpcMethods();
        global::Csi.Common.SlimHost.MapHealthAndMetrics(app, app.Services.GetRequiredService<MetricsRegistry>(), "/healthz");
        return app;
    }

    /// <summary>The controller methods the driver implements; ControllerPublishVolume and the rest answer UNIMPLEMENTED.</summary>
    private static void ControllerMethods(GrpcMethodTable methods, ControllerService controller)
    {
        const string service = CsiServiceNames.Controller;
        methods
            .Unary<ControllerGetCapabilitiesRequest, ControllerGetCapabilitiesResponse>(service, nameof(controller.ControllerGetCapabilities), controller.ControllerGetCapabilities)
            .Unary<CreateVolumeRequest, CreateVolumeResponse>(service, nameof(controller.CreateVolume), controller.CreateVolume)
            .Unary<DeleteVolumeRequest, DeleteVolumeResponse>(service, nameof(controller.DeleteVolume), controller.DeleteVolume)
            .Unary<ValidateVolumeCapabilitiesRequest, ValidateVolumeCapabilitiesResponse>(service, nameof(controller.ValidateVolumeCapabilities), controller.ValidateVolumeCapabilities)
            .Unary<ListVolumesRequest, ListVolumesResponse>(service, nameof(controller.ListVolumes), controller.ListVolumes)
            .Unary<GetCapacityRequest, GetCapacityResponse>(service, nameof(controller.GetCapacity), controller.GetCapacity)
            .Unary<ControllerExpandVolumeRequest, ControllerExpandVolumeResponse>(service, nameof(controller.ControllerExpandVolume), controller.ControllerExpandVolume)
            .Unary<CreateSnapshotRequest, CreateSnapshotResponse>(service, nameof(controller.CreateSnapshot), controller.CreateSnapshot)
            .Unary<DeleteSnapshotRequest, DeleteSnapshotResponse>(service, nameof(controller.DeleteSnapshot), controller.DeleteSnapshot)
            .Unary<ListSnapshotsRequest, ListSnapshotsResponse>(service, nameof(controller.ListSnapshots), controller.ListSnapshots);
    }

    private static void NodeMethods(GrpcMethodTable methods, NodeService node)
    {
        const string service = CsiServiceNames.Node;
        methods
            .Unary<NodeGetCapabilitiesRequest, NodeGetCapabilitiesResponse>(service, nameof(node.NodeGetCapabilities), node.NodeGetCapabilities)
            .Unary<NodeGetInfoRequest, NodeGetInfoResponse>(service, nameof(node.NodeGetInfo), node.NodeGetInfo)
            .Unary<NodeStageVolumeRequest, NodeStageVolumeResponse>(service, nameof(node.NodeStageVolume), node.NodeStageVolume)
            .Unary<NodeUnstageVolumeRequest, NodeUnstageVolumeResponse>(service, nameof(node.NodeUnstageVolume), node.NodeUnstageVolume)
            .Unary<NodePublishVolumeRequest, NodePublishVolumeResponse>(service, nameof(node.NodePublishVolume), node.NodePublishVolume)
            .Unary<NodeUnpublishVolumeRequest, NodeUnpublishVolumeResponse>(service, nameof(node.NodeUnpublishVolume), node.NodeUnpublishVolume)
            .Unary<NodeGetVolumeStatsRequest, NodeGetVolumeStatsResponse>(service, nameof(node.NodeGetVolumeStats), node.NodeGetVolumeStats)
            .Unary<NodeExpandVolumeRequest, NodeExpandVolumeResponse>(service, nameof(node.NodeExpandVolume), node.NodeExpandVolume);
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
