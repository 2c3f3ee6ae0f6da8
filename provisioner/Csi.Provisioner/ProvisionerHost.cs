using System.Runtime.InteropServices;
using Csi.Common;
using Csi.Common.Flags;
using Csi.Common.Metrics;
using Csi.Common.RateLimiting;
using Csi.Kubernetes;
using Csi.Kubernetes.Events;
using Csi.Kubernetes.Leader;
using Csi.Provisioner.Controllers;
using Csi.Provisioner.Driver;
using Csi.V1;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Csi.Provisioner;

/// <summary>
/// Wires the provisioner: the driver connection (probe, name, capabilities), the Kubernetes client, the informers and
/// work queues, leader election, and /metrics + /healthz on --http-endpoint.
/// </summary>
public static class ProvisionerHost
{
    public const string ForbiddenHint = "check the provisioner's RBAC: it needs persistentvolumes (get, list, watch, create, update, delete), persistentvolumeclaims (get, list, watch, patch), storageclasses, csinodes, nodes (get, list, watch), secrets (get), events (create, patch, update) and leases";

    /// <summary>Runs until SIGTERM/SIGINT or <paramref name="stop"/>; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken stop) => RunAsync(args, Environment.GetEnvironmentVariable, stop);

    /// <summary>As <see cref="RunAsync(string[], CancellationToken)"/>, with NODE_NAME, NAMESPACE and POD_NAME read from <paramref name="environment"/>.</summary>
    public static async Task<int> RunAsync(string[] args, Func<string, string?> environment, CancellationToken stop)
    {
        var (parsed, exitCode) = CommandLineEntry.Parse(ProvisionerOptions.Program, () => ProvisionerOptions.Parse(args, environment),
            o => o.ShowHelp ? ProvisionerOptions.Usage() : o.ShowVersion ? $"{ProvisionerOptions.Program} {ProvisionerVersion.Version}\n" : null, Console.Out, Console.Error);
        if (parsed is not { } options)
        {
            return exitCode ?? 2;
        }

        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; shutdown.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; shutdown.Cancel(); });

        var metrics = new MetricsRegistry();
        ProcessMetrics.Register(metrics);
        LeaderElector? elector = null;
        var app = BuildWebApp(options, metrics, () => elector);
        await using var _ = app;
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var logger = loggers.CreateLogger("Csi.Provisioner");
        var time = TimeProvider.System;

        var callMetrics = new CsiCallMetrics(metrics);
        using var channel = GrpcEndpoint.CreateChannel(options.CsiAddress);
        var invoker = channel.Intercept(callMetrics);
        var controllerClient = new Controller.ControllerClient(invoker);
        DriverInfo driver;
        KubernetesConnection connection;
        try
        {
            driver = await DriverConnector.ConnectAsync(new Identity.IdentityClient(invoker), controllerClient, options.CsiAddress, options.Timeout, logger, time, shutdown.Token).ConfigureAwait(false);
            connection = Connect(options);
        }
        catch (DriverStartupException e)
        {
            await Console.Error.WriteLineAsync($"{ProvisionerOptions.Program}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (Exception e) when (e is KubeconfigException or IOException or UriFormatException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"{ProvisionerOptions.Program}: cannot connect to Kubernetes: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        callMetrics.DriverName = driver.Name;
        if (options.EnableCapacity && !driver.Has(ControllerServiceCapability.Types.RPC.Types.Type.GetCapacity))
        {
            await Console.Error.WriteLineAsync($"{ProvisionerOptions.Program}: --enable-capacity: CSI driver {driver.Name} does not offer GET_CAPACITY; remove the flag").ConfigureAwait(false);
            return 1;
        }

        using var client = new KubernetesApiClient(connection, new TokenBucket(options.KubeApiQps, options.KubeApiBurst, time), $"{ProvisionerOptions.Program}/{ProvisionerVersion.Version}", ForbiddenHint);
        await using var recorder = new EventRecorder(client, ProvisionerOptions.Program + " " + driver.Name, loggers.CreateLogger<EventRecorder>(), time);
        var identity = $"{time.GetUtcNow().ToUnixTimeMilliseconds()}-{Random.Shared.Next(1000, 9999)}-{driver.Name}";
        var defaults = new ProvisioningDefaults(driver, options, identity);

        if (options.HttpEndpoint.Length > 0)
        {
            await app.StartAsync(shutdown.Token).ConfigureAwait(false);
        }
        ProvisionerLog.Started(logger, ProvisionerVersion.Version, driver.Name, driver.VendorVersion, options.CsiAddress, driver.Topology, options.WorkerThreads);

        async Task LeadAsync(CancellationToken leading)
        {
            ProvisionerLog.Leading(logger);
            await using var cache = new ProvisionerCache(client, loggers, time, options.NodeDeployment ? options.NodeName : null);
            await using var controller = new ProvisionController(client, cache, controllerClient, defaults, new RecorderEventSink(recorder), metrics, loggers, time);
            await using var capacity = options.EnableCapacity
                ? new Capacity.CapacityPublisher(client, cache, controllerClient, defaults, await Capacity.CapacityOwner.ResolveAsync(client, options, logger, leading).ConfigureAwait(false), loggers.CreateLogger<Capacity.CapacityPublisher>(), time)
                : null;
            cache.Start();
            await cache.WaitForSyncAsync(leading).ConfigureAwait(false);
            controller.Start(leading);
            capacity?.Start(leading);
            await Task.Delay(Timeout.Infinite, leading).ConfigureAwait(false);
        }

        try
        {
            if (options.LeaderElection)
            {
                // A client of its own, so that leader election is never starved by provisioning traffic (upstream #416).
                using var electionClient = new KubernetesApiClient(connection, new TokenBucket(Math.Max(options.KubeApiQps, 5), Math.Max(options.KubeApiBurst, 10), time), $"{ProvisionerOptions.Program}/{ProvisionerVersion.Version} leader-election", ForbiddenHint);
                var ns = options.LeaderElectionNamespace.Length > 0 ? options.LeaderElectionNamespace : PodNamespace();
                elector = new LeaderElector(electionClient, new LeaderElectionOptions(LeaderElector.LeaseNameFor(driver.Name), ns, Identity())
                {
                    LeaseDuration = options.LeaderElectionLeaseDuration,
                    RenewDeadline = options.LeaderElectionRenewDeadline,
                    RetryPeriod = options.LeaderElectionRetryPeriod,
                }, loggers.CreateLogger<LeaderElector>(), time);
                await elector.RunAsync(LeadAsync, shutdown.Token).ConfigureAwait(false);
            }
            else
            {
                await LeadAsync(shutdown.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
        }
        await recorder.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        if (options.HttpEndpoint.Length > 0)
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        return 0;
    }

    private static KubernetesConnection Connect(ProvisionerOptions options)
    {
        if (options.Kubeconfig.Length > 0)
        {
            return KubernetesConnection.FromKubeconfig(options.Kubeconfig);
        }
        if (options.Master.Length > 0)
        {
            return new KubernetesConnection(new Uri(options.Master), "--master " + options.Master);
        }
        return KubernetesConnection.InCluster();
    }

    private static WebApplication BuildWebApp(ProvisionerOptions options, MetricsRegistry metrics, Func<LeaderElector?> elector)
    {
        var builder = SlimHost.CreateBuilder();
        SlimHost.ConfigureLogging(builder.Logging, options.LogVerbosity >= 4 ? LogLevel.Debug : LogLevel.Information, options.LogFormatJson);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (options.HttpEndpoint.Length > 0 && ListenAddress.TryParse(options.HttpEndpoint, out var endPoint))
            {
                kestrel.Listen(endPoint, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });
        var app = builder.Build();
        RequestDelegate metricsEndpoint = context =>
        {
            context.Response.ContentType = MetricsRegistry.ContentType;
            return metrics.WriteToAsync(context.Response.Body, context.RequestAborted);
        };
        app.MapGet(options.MetricsPath, metricsEndpoint);
        RequestDelegate healthy = context =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync("ok");
        };
        app.MapGet("/healthz", healthy);
        RequestDelegate leaderHealth = context =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            if (elector() is { IsHealthy: false })
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return context.Response.WriteAsync("leader election: the lease was not renewed in time");
            }
            return context.Response.WriteAsync("ok");
        };
        app.MapGet("/healthz/leader-election", leaderHealth);
        return app;
    }

    private static string PodNamespace()
    {
        var file = Path.Combine(KubernetesConnection.ServiceAccountDirectory, "namespace");
        return Environment.GetEnvironmentVariable("NAMESPACE") is { Length: > 0 } ns ? ns
            : File.Exists(file) ? File.ReadAllText(file).Trim() : "default";
    }

    private static string Identity()
        => Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod : $"{System.Net.Dns.GetHostName()}_{Guid.NewGuid():N}";
}
