using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CsiProxy.Win.Server;

/// <summary>
/// One group per listener, as upstream runs one gRPC server per pipe: a pod given only the filesystem pipe must
/// not reach the disk group through it. Each endpoint carries the listener it belongs to; a request arriving on
/// another listener is answered gRPC Unimplemented (404 for plain HTTP).
/// </summary>
public sealed class ListenerScope
{
    /// <summary>The listener key of the TCP metrics listener.</summary>
    public const string MetricsKey = "metrics";

    public ListenerScope(string key)
    {
        Key = key;
    }

    /// <summary>The pipe name, or the unix socket path, or <see cref="MetricsKey"/>.</summary>
    public string Key { get; }

    /// <summary>The key of the listener a connection came in on.</summary>
    public static string KeyOf(EndPoint? local) => local switch
    {
        NamedPipeEndPoint pipe => pipe.PipeName,
        UnixDomainSocketEndPoint socket => socket.ToString(),
        IPEndPoint => MetricsKey,
        _ => "",
    };

    public static async Task Enforce(HttpContext context, RequestDelegate next, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var scope = context.GetEndpoint()?.Metadata.GetMetadata<ListenerScope>();
        var listener = KeyOf(context.Features.Get<IConnectionEndPointFeature>()?.LocalEndPoint);
        if (scope is null || !string.Equals(scope.Key, listener, StringComparison.OrdinalIgnoreCase))
        {
            ServerLog.WrongListener(logger, context.Request.Path, listener);
            if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "application/grpc";
                context.Response.Headers["grpc-status"] = "12";
                context.Response.Headers["grpc-message"] = "this pipe does not serve that service";
                return;
            }
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await next(context).ConfigureAwait(false);
    }
}
