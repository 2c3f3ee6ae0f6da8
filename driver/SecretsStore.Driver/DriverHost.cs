using System.Text;
using System.Text.Json;
using Csi.Common.Flags;
using Csi.Common.Hosting;
using Csi.V1;
using Csi.Common.Metrics;
using Csi.Common.Mounting;
using Csi.Common.RateLimiting;
using Csi.Kubernetes;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SecretsStore.Driver.CsiServices;
using SecretsStore.Driver.Diagnostics;
using SecretsStore.Driver.Events;
using SecretsStore.Driver.Kubernetes;
using SecretsStore.Driver.PodStatuses;
using SecretsStore.Driver.Providers;
using SecretsStore.Driver.Publishing;
using SecretsStore.Driver.SecretProviderClasses;
using SecretsStore.Driver.Rotation;
using SecretsStore.Driver.SecretSync;
using SecretsStore.Driver.ServiceAccountTokens;

namespace SecretsStore.Driver;

/// <summary>Wires the driver: CSI gRPC on the unix socket, /metrics and /healthz on their own listener.</summary>
public static class DriverHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var (parsed, exitCode) = CommandLineEntry.Parse("secrets-store-csi-driver", () => DriverOptions.Parse(args),
            o => o.ShowHelp ? DriverOptions.Usage() : o.ShowVersion ? VersionJson() + "\n" : null, Console.Out, Console.Error);
        if (parsed is not { } options)
        {
            return exitCode ?? 2;
        }

        WebApplication app;
        try
        {
            app = Build(options, TimeProvider.System);
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (KubeconfigException e)
        {
            await Console.Error.WriteLineAsync($"secrets-store-csi-driver: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (IOException e)
        {
            // Address in use, socket taken, directory not writable: one line, not a stack trace.
            await Console.Error.WriteLineAsync($"secrets-store-csi-driver: cannot serve: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        await using var _ = app;
        using var garbage = global::Csi.Common.Hosting.IdleGarbageRelease.Start(TimeProvider.System);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(options.SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        }
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SecretsStore.Driver");
        var interval = GoDuration.Format(options.RotationPollInterval);
        DriverLog.Started(logger, options.DriverName, DriverVersion.Version, options.SocketPath, options.NodeId, options.EnableSecretRotation, interval);
        if (app.Services.GetService<KubernetesConnection>() is { } kube)
        {
            DriverLog.KubernetesApiConfigured(logger, kube.Server, kube.Description, options.KubeApiQps, options.KubeApiBurst);
        }
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    /// <param name="options">The parsed flags.</param>
    /// <param name="time">The clock: the system's in production; tests pass a manual one.</param>
    /// <param name="configureLogging">Adds log providers after the console one; tests capture output with it.</param>
    /// <param name="platform">The node's platform; null takes this machine's. The one place the mount layer is chosen.</param>
    public static WebApplication Build(DriverOptions options, TimeProvider time, Action<ILoggingBuilder>? configureLogging = null, NodePlatform? platform = null)
    {
        platform ??= NodePlatform.Current;
        var socketPath = options.SocketPath;
        global::Csi.Common.UnixSocketFile.PrepareForBind(socketPath);

        var builder = global::Csi.Common.SlimHost.CreateBuilder();
        global::Csi.Common.SlimHost.ConfigureLogging(builder.Logging, options.LogVerbosity >= 4 ? LogLevel.Debug : LogLevel.Information, options.LogFormatJson);
        configureLogging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenUnixSocket(socketPath, listen => listen.Protocols = HttpProtocols.Http2);
            if (options.MetricsAddr.Length > 0 && global::Csi.Common.ListenAddress.TryParse(options.MetricsAddr, out var metricsEndPoint))
            {
                kestrel.Listen(metricsEndPoint, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });

        var services = builder.Services;
        services.AddGrpc(grpc =>
        {
            grpc.EnableDetailedErrors = false;
            grpc.Interceptors.Add<CsiExceptionInterceptor>();
        });
        services.AddSingleton(options);
        services.AddSingleton(time);
        services.AddSingleton(new MetricsRegistry());
        services.AddSingleton(platform);
        services.AddSingleton(sp => new DriverMetrics(sp.GetRequiredService<MetricsRegistry>(), platform.OsType));
        services.AddSingleton<IMounter>(platform.CreateMounter());
        if (options.Standalone)
        {
            services.AddSingleton<ISecretProviderClassSource>(sp => new DirectorySecretProviderClassSource(
                options.SecretProviderClassDirectory!, sp.LoggerFor<DirectorySecretProviderClassSource>()));
            services.AddSingleton<IPodStatusRecorder, InMemoryPodStatusRecorder>();
            services.AddSingleton<IPodEventRecorder, LoggingPodEventRecorder>();
            services.AddSingleton<ISecretSync, NoSecretSync>();
            services.AddSingleton<IServiceAccountTokenSource, NoServiceAccountTokenSource>();
        }
        else
        {
            var connection = options.Kubeconfig is { } kubeconfig ? KubernetesConnection.FromKubeconfig(kubeconfig) : KubernetesConnection.InCluster();
            services.AddSingleton(connection);
            services.AddSingleton(sp => new TokenBucket(options.KubeApiQps, options.KubeApiBurst, sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton(sp => DriverApiClient.Create(sp.GetRequiredService<KubernetesConnection>(), sp.GetRequiredService<TokenBucket>()));
            services.AddSingleton<ISecretProviderClassSource>(sp => new KubernetesSecretProviderClassSource(
                sp.GetRequiredService<KubernetesApiClient>(), sp.LoggerFor<KubernetesSecretProviderClassSource>(), sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IPodStatusRecorder>(sp => new KubernetesPodStatusRecorder(
                sp.GetRequiredService<KubernetesApiClient>(), options.NodeId, sp.LoggerFor<KubernetesPodStatusRecorder>()));
            services.AddSingleton<IPodEventRecorder>(sp => new KubernetesPodEventRecorder(
                sp.GetRequiredService<KubernetesApiClient>(), options.NodeId, sp.LoggerFor<KubernetesPodEventRecorder>(), sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton(sp => new KubernetesSecretSync(
                sp.GetRequiredService<KubernetesApiClient>(), sp.GetRequiredService<IPodEventRecorder>(), sp.GetRequiredService<DriverMetrics>(),
                sp.LoggerFor<KubernetesSecretSync>(), sp.GetRequiredService<TimeProvider>(), options.SecretOwner));
            services.AddSingleton<ISecretSync>(sp => sp.GetRequiredService<KubernetesSecretSync>());
            services.AddSingleton(sp => new ManagedSecretWatch(
                sp.GetRequiredService<KubernetesApiClient>(), sp.GetRequiredService<KubernetesSecretSync>(), sp.LoggerFor<ManagedSecretWatch>(), sp.GetRequiredService<TimeProvider>()));
            services.AddHostedService(sp => sp.GetRequiredService<ManagedSecretWatch>());
            services.AddSingleton<IServiceAccountTokenSource>(sp => new KubernetesServiceAccountTokenSource(
                sp.GetRequiredService<KubernetesApiClient>(), options.DriverName, sp.LoggerFor<KubernetesServiceAccountTokenSource>(), sp.GetRequiredService<TimeProvider>()));
        }
        services.AddSingleton(sp => new ProviderClientPool(options.ProviderDirectories, options.MaxCallRecvMsgSize, sp.LoggerFor<ProviderClientPool>()));
        services.AddSingleton<IProviderClient>(sp => sp.GetRequiredService<ProviderClientPool>());
        services.AddSingleton(PublisherSettings.From(options));
        services.AddSingleton(sp => new NodePublisher(
            sp.GetRequiredService<IMounter>(), sp.GetRequiredService<ISecretProviderClassSource>(), sp.GetRequiredService<IProviderClient>(),
            sp.GetRequiredService<IPodStatusRecorder>(), sp.GetRequiredService<DriverMetrics>(), sp.GetRequiredService<PublisherSettings>(),
            sp.LoggerFor<NodePublisher>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ISecretSync>(), sp.GetRequiredService<IPodEventRecorder>(),
            sp.GetRequiredService<IServiceAccountTokenSource>()));
        services.AddGrpcMethods((sp, methods) => CsiMethods(methods, new IdentityService(options), new NodeService(sp.GetRequiredService<NodePublisher>(), options, platform), new ControllerService()));
        services.AddSingleton(RotationSettings.From(options));
        services.AddSingleton(sp => new RotationReconciler(
            sp.GetRequiredService<NodePublisher>(), sp.GetRequiredService<RotationSettings>(), sp.LoggerFor<RotationReconciler>(), sp.GetRequiredService<TimeProvider>()));
        if (options.EnableSecretRotation && options.RotationReconciler)
        {
            services.AddHostedService(sp => sp.GetRequiredService<RotationReconciler>());
        }
        if (options.ProviderHealthCheck)
        {
            services.AddHostedService(sp => new ProviderHealthCheck(sp.GetRequiredService<ProviderClientPool>(), options.ProviderHealthCheckInterval,
                sp.LoggerFor<ProviderHealthCheck>(), sp.GetRequiredService<TimeProvider>()));
        }

        var app = builder.Build();
        if (platform.SecretsOnNodeDisk)
        {
            DriverLog.SecretsOnNodeDisk(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SecretsStore.Driver"), platform.OsType);
        }
        app.MapGrpcMethods();
        var registry = app.Services.GetRequiredService<MetricsRegistry>();
        global::Csi.Common.SlimHost.MapHealthAndMetrics(app, registry, "/healthz");
        return app;
    }

    /// <summary>The CSI methods the driver serves; every other method of the three services answers UNIMPLEMENTED.</summary>
    private static void CsiMethods(GrpcMethodTable methods, IdentityService identity, NodeService node, ControllerService controller)
    {
        const string nodeService = CsiServiceNames.Node;
        methods
            .Identity(identity)
            .Unary<NodePublishVolumeRequest, NodePublishVolumeResponse>(nodeService, nameof(node.NodePublishVolume), node.NodePublishVolume)
            .Unary<NodeUnpublishVolumeRequest, NodeUnpublishVolumeResponse>(nodeService, nameof(node.NodeUnpublishVolume), node.NodeUnpublishVolume)
            .Unary<NodeGetInfoRequest, NodeGetInfoResponse>(nodeService, nameof(node.NodeGetInfo), node.NodeGetInfo)
            .Unary<NodeGetCapabilitiesRequest, NodeGetCapabilitiesResponse>(nodeService, nameof(node.NodeGetCapabilities), node.NodeGetCapabilities)
            .Unary<ControllerGetCapabilitiesRequest, ControllerGetCapabilitiesResponse>(CsiServiceNames.Controller, nameof(controller.ControllerGetCapabilities), controller.ControllerGetCapabilities);
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
            writer.WriteString("platform", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
