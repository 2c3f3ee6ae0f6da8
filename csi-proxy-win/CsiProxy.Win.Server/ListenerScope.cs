using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace CsiProxy.Win.Server;

/// <summary>
/// One group per listener, as upstream runs one gRPC server per pipe: a pod given only the filesystem pipe must
/// not reach the disk group through it. Each listener tags its connections with its key; each endpoint carries
/// the key it belongs to; a request arriving on another listener is answered gRPC Unimplemented (404 for plain HTTP).
/// </summary>
public sealed class ListenerScope
{
    /// <summary>The listener key of the TCP metrics listener.</summary>
    public const string MetricsKey = "metrics";

    private static readonly ConcurrentDictionary<string, string> ListenerOfConnection = new(StringComparer.Ordinal);

    public ListenerScope(string key)
    {
        Key = key;
    }

    /// <summary>The group's pipe name (or socket path), or <see cref="MetricsKey"/>.</summary>
    public string Key { get; }

    /// <summary>Tags every connection the listener accepts with <paramref name="key"/> for as long as it is open.</summary>
    public static void Tag(ListenOptions listen, string key)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next => async connection =>
        {
            ListenerOfConnection[connection.ConnectionId] = key;
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                ListenerOfConnection.TryRemove(connection.ConnectionId, out _);
            }
        });
    }

    public static async Task Enforce(HttpContext context, RequestDelegate next, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var scope = context.GetEndpoint()?.Metadata.GetMetadata<ListenerScope>();
        var listener = ListenerOfConnection.GetValueOrDefault(context.Connection.Id, "");
        if (scope is null || !string.Equals(scope.Key, listener, StringComparison.Ordinal))
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
