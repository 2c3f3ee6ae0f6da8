using Csi.Common.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Csi.Common;

/// <summary>
/// The web host every binary of the suite starts from, with the logging and the health and metrics endpoints
/// they all share. The stock builder makes the working directory its content root and watches it recursively
/// for configuration changes: from "/" on a node that is tens of thousands of inotify watches, seconds of
/// start-up and megabytes of memory. Ours reads no configuration files, so the root is the binary's own
/// directory and nothing is watched.
/// </summary>
public static class SlimHost
{
    private const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

    public static WebApplicationBuilder CreateBuilder()
        => WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });

    /// <summary>One line per event on the console, as text or JSON, UTC timestamps; framework chatter only from warnings up.</summary>
    public static void ConfigureLogging(ILoggingBuilder logging, LogLevel minimum, bool json)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        logging.SetMinimumLevel(minimum);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Grpc", LogLevel.Warning);
        if (json)
        {
            logging.AddJsonConsole(console =>
            {
                console.TimestampFormat = TimestampFormat;
                console.UseUtcTimestamp = true;
            });
        }
        else
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = TimestampFormat + " ";
                console.UseUtcTimestamp = true;
            });
        }
    }

    /// <summary>
    /// Maps /metrics (Prometheus text, with the <see cref="ProcessMetrics"/> families added to <paramref name="registry"/>)
    /// and "ok" on each health path, without reflection-based endpoint binding.
    /// </summary>
    public static void MapHealthAndMetrics(WebApplication app, MetricsRegistry registry, params string[] healthPaths)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(registry);
        ProcessMetrics.Register(registry);
        RequestDelegate healthy = context =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync("ok");
        };
        RequestDelegate metrics = context =>
        {
            context.Response.ContentType = MetricsRegistry.ContentType;
            return registry.WriteToAsync(context.Response.Body, context.RequestAborted);
        };
        foreach (var path in healthPaths)
        {
            app.MapGet(path, healthy);
        }
        app.MapGet("/metrics", metrics);
    }
}
