using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>Watch streams: initial events, bookmarks, 410 Gone for a compacted resourceVersion.</summary>
internal sealed partial class ApiServer
{
    private async Task WatchAsync(HttpContext context, ResourceType view, string? ns, RequestInfo info, Action logStreamStart)
    {
        var query = context.Request.Query;
        var fieldSelector = FieldSelector.Parse(query["fieldSelector"]);
        if (info.LegacyWatch && info.Name is not null)
        {
            fieldSelector = FieldSelector.Parse(string.IsNullOrEmpty(query["fieldSelector"]) ? "metadata.name=" + info.Name : query["fieldSelector"] + ",metadata.name=" + info.Name);
        }

        var watchQuery = new WatchQuery(
            LabelSelector.Parse(query["labelSelector"]),
            fieldSelector,
            query["resourceVersion"],
            IsTrue(query["allowWatchBookmarks"]),
            IsTrue(query["sendInitialEvents"]));
        var sub = state.Watch(view, ns, watchQuery);
        try
        {
            var response = context.Response;
            response.StatusCode = 200;
            response.ContentType = "application/json";
            response.Headers.CacheControl = "no-cache, private";
            logStreamStart();
            await response.StartAsync(context.RequestAborted).ConfigureAwait(false);

            // The API server writes 200 and flushes the headers as soon as the watch is registered, so a client
            // waiting for the response (client-node's informer, an HttpClient timeout) returns on a quiet resource.
            await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);

            using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            var timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : options.DefaultWatchTimeout;
            if (timeout is { } t)
            {
                lifetime.CancelAfter(t);
            }

            var writer = response.BodyWriter;
            try
            {
                while (await sub.Reader.WaitToReadAsync(lifetime.Token).ConfigureAwait(false))
                {
                    while (sub.Reader.TryRead(out var item))
                    {
                        WriteEvent(writer, view, item);
                    }

                    await writer.FlushAsync(lifetime.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
            {
                // timeoutSeconds elapsed, the client left, or the sandbox stops: end the stream cleanly.
            }
            catch (IOException)
            {
            }
        }
        finally
        {
            state.Unsubscribe(sub);
        }
    }

    private static void WriteEvent(PipeWriter writer, ResourceType view, WatchItem item)
    {
        writer.Write("{\"type\":\""u8);
        writer.Write(Encoding.ASCII.GetBytes(item.Type));
        writer.Write("\",\"object\":"u8);
        if (item.Status is { } status)
        {
            writer.Write(JsonText.Serialize(status));
        }
        else if (item.Object is null)
        {
            var metadata = new JsonObject { ["resourceVersion"] = item.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
            if (item.InitialEventsEnd)
            {
                metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
            }

            writer.Write(JsonText.Serialize(new JsonObject { ["kind"] = view.Kind, ["apiVersion"] = view.ApiVersion, ["metadata"] = metadata }));
        }
        else
        {
            writer.Write(view.Render(item.Object, item.ResourceVersion));
        }

        writer.Write("}"u8);
        writer.Write(NewLine);
    }
}
