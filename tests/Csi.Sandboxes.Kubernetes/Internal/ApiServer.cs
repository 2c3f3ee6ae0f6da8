using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using Csi.Sandboxes.Common;
using Microsoft.AspNetCore.Http;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// The HTTP face of <see cref="ClusterState"/>: authentication, request resolution, fault injection, the REST verbs,
/// watch streams, discovery and the request log.
/// </summary>
internal sealed class ApiServer(
    ClusterState state,
    FaultInjector faults,
    RequestLog log,
    ServiceAccountTokenIssuer issuer,
    KubernetesSandboxOptions options,
    Func<string, string?> findUser,
    CancellationToken stopping)
{
    private static readonly string[] PatchTypes = ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"];
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly Lock _consoleGate = new();

    public async Task HandleAsync(HttpContext context)
    {
        var started = options.TimeProvider.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var request = context.Request;
        var info = RequestInfo.Parse(request.Method, request.Path.Value ?? "/", IsTrue(request.Query["watch"]));
        string? user = null;
        var injected = false;
        var logged = false;

        void Log(int status)
        {
            if (logged)
            {
                return;
            }

            logged = true;
            var entry = new KubernetesRequestLogEntry(
                started,
                info.Verb,
                request.Method,
                request.Path.Value ?? "/",
                request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty,
                info.IsResourceRequest ? info.Group : null,
                info.IsResourceRequest ? info.Version : null,
                info.Resource,
                info.Subresource,
                info.Resource == "namespaces" && info.Group.Length == 0 && info.Name is not null ? null : info.Namespace,
                info.Name,
                request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null,
                user,
                status,
                clock.Elapsed,
                injected);
            log.Add(entry);
            if (options.RequestLogWriter is { } writer)
            {
                lock (_consoleGate)
                {
                    writer.WriteLine($"{entry.Time:HH:mm:ss.fff} {entry.Verb,-16} {entry.Path} user={entry.User ?? "-"} -> {entry.StatusCode}");
                }
            }
        }

        try
        {
            user = Authenticate(request);
            if (user is null)
            {
                throw ApiException.Unauthorized();
            }

            if (faults.Take(info, delay: true) is { } delay)
            {
                await Task.Delay(delay.Delay, context.RequestAborted).ConfigureAwait(false);
            }

            if (faults.Take(info, delay: false) is { } failure)
            {
                injected = true;
                throw InjectedError(info, user, failure);
            }

            await DispatchAsync(context, info, () => Log(context.Response.StatusCode)).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            if (!context.Response.HasStarted)
            {
                await WriteStatusAsync(context, e).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || stopping.IsCancellationRequested)
        {
            // The client went away or the sandbox is stopping.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Input the sandbox cannot make sense of (or a sandbox bug): a 500 with the reason beats a dropped connection.
            if (!context.Response.HasStarted)
            {
                await WriteStatusAsync(context, ApiException.InternalError(e.GetType().Name + ": " + e.Message)).ConfigureAwait(false);
            }
        }
        finally
        {
            Log(context.Response.StatusCode);
        }
    }

    private string? Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header["Bearer ".Length..].Trim();
        if (findUser(token) is { } user)
        {
            return user;
        }

        var result = issuer.Validate(token, issuer.Issuer, options.TimeProvider);
        return result.IsValid ? result.Claims!.Subject : null;
    }

    private static ApiException InjectedError(RequestInfo info, string user, FaultInjector.Rule rule)
    {
        var resource = new GroupResource(info.Group, info.Resource ?? string.Empty);
        var retryAfter = rule.RetryAfter is { } r ? (int)Math.Ceiling(r.TotalSeconds) : (int?)null;
        switch (rule.StatusCode)
        {
            case 403:
                var what = info.Subresource is null ? info.Resource : info.Resource + "/" + info.Subresource;
                var scope = info.Namespace is not null && !(info.Resource == "namespaces" && info.Group.Length == 0)
                    ? $"in the namespace \"{info.Namespace}\""
                    : "at the cluster scope";
                var why = rule.Message ?? $"User \"{user}\" cannot {info.Verb} resource \"{what}\" in API group \"{info.Group}\" {scope}";
                return ApiException.Forbidden(resource, info.Name, why);
            case 429:
                return ApiException.TooManyRequests(retryAfter ?? 1, rule.Message);
            case 404 when info.Name is not null:
                return ApiException.NotFound(resource, info.Name);
            case 409 when info.Name is not null:
                return ApiException.Conflict(resource, info.Name, rule.Message ?? "the object has been modified; please apply your changes to the latest version and try again");
            case 500:
                return ApiException.InternalError(rule.Message ?? "injected fault");
            case 504:
                return ApiException.Timeout(rule.Message ?? "request did not complete within requested timeout - context deadline exceeded", retryAfter ?? 1);
            case 410:
                return ApiException.Expired(rule.Message ?? "too old resource version");
            default:
                return new ApiException(rule.StatusCode, ApiException.ReasonFor(rule.StatusCode), rule.Message ?? $"injected fault ({rule.StatusCode})", new JsonObject())
                {
                    RetryAfterSeconds = retryAfter,
                };
        }
    }

    private async Task DispatchAsync(HttpContext context, RequestInfo info, Action logStreamStart)
    {
        if (!info.IsResourceRequest)
        {
            await DiscoveryAsync(context, info).ConfigureAwait(false);
            return;
        }

        var view = state.FindResource(info.Group, info.Version, info.Resource!) ?? throw ApiException.NotFoundPath();
        var ns = view.Namespaced ? info.Namespace : null;
        if (!view.Namespaced && info.Namespace is not null && !(view.Resource == "namespaces" && view.Group.Length == 0))
        {
            throw ApiException.NotFoundPath();
        }

        if (view.Namespaced && ns is null && info.Name is not null)
        {
            throw ApiException.NotFoundPath();
        }

        if (info.Subresource is not null && !SubresourceAllowed(view, info.Subresource))
        {
            throw ApiException.NotFoundPath();
        }

        var query = context.Request.Query;
        switch (info.Verb)
        {
            case "get":
                await WriteObjectAsync(context, view, state.Get(view, ns, info.Name!), 200).ConfigureAwait(false);
                break;
            case "list":
                await WriteListAsync(context, view, state.List(view, ns, ListQueryFrom(query))).ConfigureAwait(false);
                break;
            case "watch":
                await WatchAsync(context, view, ns, info, logStreamStart).ConfigureAwait(false);
                break;
            case "create" when info.Subresource == "token":
                await TokenRequestAsync(context, view, ns!, info.Name!).ConfigureAwait(false);
                break;
            case "create" when info.Name is null:
                if (view.Namespaced && ns is null)
                {
                    throw ApiException.MethodNotAllowed(view.GroupResource, "create");
                }

                var created = state.Create(view, ns, await ReadObjectAsync(context).ConfigureAwait(false), WriteOptionsFrom(query));
                await WriteResultAsync(context, view, created).ConfigureAwait(false);
                break;
            case "update":
                var updated = state.Update(view, ns, info.Name!, info.Subresource, await ReadObjectAsync(context).ConfigureAwait(false), WriteOptionsFrom(query));
                await WriteResultAsync(context, view, updated).ConfigureAwait(false);
                break;
            case "patch":
                var kind = PatchKindOf(context.Request.ContentType);
                if (kind == PatchKind.Apply && string.IsNullOrEmpty(query["fieldManager"]))
                {
                    throw ApiException.BadRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
                }

                var body = await ReadBodyAsync(context).ConfigureAwait(false);
                var patched = state.Patch(view, ns, info.Name!, info.Subresource, kind, body, WriteOptionsFrom(query));
                await WriteResultAsync(context, view, patched).ConfigureAwait(false);
                break;
            case "delete":
                var deleteBody = await ReadOptionalObjectAsync(context).ConfigureAwait(false);
                var deleted = state.Delete(view, ns, info.Name!, DeleteOptions.From(deleteBody, query["propagationPolicy"], query["orphanDependents"], query["dryRun"]));
                await WriteResultAsync(context, view, deleted).ConfigureAwait(false);
                break;
            case "deletecollection":
                if (view.Namespaced && ns is null)
                {
                    throw ApiException.MethodNotAllowed(view.GroupResource, "deletecollection");
                }

                var collectionBody = await ReadOptionalObjectAsync(context).ConfigureAwait(false);
                var results = state.DeleteCollection(view, ns, ListQueryFrom(query), DeleteOptions.From(collectionBody, query["propagationPolicy"], query["orphanDependents"], query["dryRun"]));
                await WriteListAsync(context, view, new ListResult(results.Select(r => r.Object).ToList(), state.ResourceVersion, null, null)).ConfigureAwait(false);
                break;
            default:
                throw ApiException.MethodNotAllowed(view.GroupResource, info.Verb);
        }
    }

    private static bool SubresourceAllowed(ResourceType view, string subresource) => subresource switch
    {
        "status" => view.HasStatus,
        "finalize" => view.Resource == "namespaces" && view.Group.Length == 0,
        "token" => view.Resource == "serviceaccounts" && view.Group.Length == 0,
        _ => false,
    };

    // ------------------------------------------------------------------ watch

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

    // ------------------------------------------------------------------ token requests

    private async Task TokenRequestAsync(HttpContext context, ResourceType view, string ns, string name)
    {
        var serviceAccount = state.Get(view, ns, name).ToJsonObject();
        var body = await ReadObjectAsync(context).ConfigureAwait(false);
        var spec = body["spec"] as JsonObject ?? new JsonObject();
        var audiences = JsonText.Strings(spec["audiences"]);
        if (audiences.Count == 0)
        {
            audiences.Add(issuer.Issuer);
        }

        var seconds = spec["expirationSeconds"] is JsonValue v && v.TryGetValue<long>(out var s) ? s : 3600;
        if (seconds < 600)
        {
            throw ApiException.Invalid("TokenRequest.authentication.k8s.io", "authentication.k8s.io", "TokenRequest", name,
                [FieldError.Invalid("spec.expirationSeconds", JsonValue.Create(seconds), "may not specify a duration less than 10 minutes")]);
        }

        var bound = spec["boundObjectRef"] as JsonObject;
        string? podName = null;
        string? podUid = null;
        string? nodeName = null;
        if (JsonText.GetString(bound, "kind") == "Pod" && JsonText.GetString(bound, "name") is { } boundName)
        {
            var pods = state.FindResource(string.Empty, "v1", "pods")!;
            var pod = state.TryGet(pods, ns, boundName) ?? throw ApiException.NotFound(pods.GroupResource, boundName);
            var podObject = pod.ToJsonObject();
            podName = boundName;
            podUid = pod.Uid;
            nodeName = JsonText.GetString(podObject, "spec", "nodeName");
            if (JsonText.GetString(bound, "uid") is { Length: > 0 } uid && uid != pod.Uid)
            {
                throw ApiException.Conflict(pods.GroupResource, boundName, $"the UID in the bound object reference ({uid}) does not match the UID in record. The object might have been deleted and then recreated");
            }
        }

        var lifetime = TimeSpan.FromSeconds(seconds);
        var now = options.TimeProvider.GetUtcNow();
        var token = issuer.Mint(new ServiceAccountTokenRequest
        {
            Namespace = ns,
            ServiceAccountName = name,
            Audiences = audiences,
            Lifetime = lifetime,
            IssuedAt = now,
            ServiceAccountUid = JsonText.GetString(serviceAccount, "metadata", "uid"),
            PodName = podName,
            PodUid = podUid,
            NodeName = nodeName,
        });
        spec["audiences"] = JsonText.ToArray(audiences);
        spec["expirationSeconds"] = seconds;
        var response = new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = null },
            ["spec"] = spec.DeepClone(),
            ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = JsonText.Timestamp(now + lifetime) },
        };
        await WriteJsonAsync(context, 201, JsonText.Serialize(response)).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ discovery

    private async Task DiscoveryAsync(HttpContext context, RequestInfo info)
    {
        var path = (context.Request.Path.Value ?? "/").TrimEnd('/');
        if (path is "/healthz" or "/livez" or "/readyz" || path.StartsWith("/healthz/", StringComparison.Ordinal)
            || path.StartsWith("/livez/", StringComparison.Ordinal) || path.StartsWith("/readyz/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("ok", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (!string.Equals(context.Request.Method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new JsonObject());
        }

        JsonObject? doc;
        lock (state.Gate)
        {
            doc = path switch
            {
                "/version" => Discovery.Version(options.KubernetesVersion),
                "/api" => Discovery.CoreVersions(context.Request.Host.Value ?? "127.0.0.1"),
                "/apis" => Discovery.Groups(state.Registry),
                _ when info.Version.Length > 0 && path == "/api/" + info.Version && info.Group.Length == 0 => Discovery.Resources(state.Registry, string.Empty, info.Version),
                _ when info.Version.Length > 0 && path == $"/apis/{info.Group}/{info.Version}" => Discovery.Resources(state.Registry, info.Group, info.Version),
                _ when path.StartsWith("/apis/", StringComparison.Ordinal) && path.Count(c => c == '/') == 2 => Discovery.Group(state.Registry, path["/apis/".Length..]),
                _ => null,
            };
        }

        if (doc is null)
        {
            throw ApiException.NotFoundPath();
        }

        await WriteJsonAsync(context, 200, JsonText.Serialize(doc)).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ bodies

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType ?? "application/json";
        var yaml = contentType.StartsWith("application/yaml", StringComparison.OrdinalIgnoreCase);
        if (!yaml && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) && !contentType.StartsWith("*/*", StringComparison.Ordinal))
        {
            throw ApiException.UnsupportedMediaType(contentType, ["application/json", "application/yaml"]);
        }

        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        return ManifestReader.ReadObject(body, yaml);
    }

    private static async Task<JsonObject?> ReadOptionalObjectAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        return body.Length == 0 ? null : ManifestReader.ReadObject(body, yaml: false);
    }

    private static PatchKind PatchKindOf(string? contentType)
    {
        var mediaType = (contentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();
        return mediaType switch
        {
            "application/json-patch+json" => PatchKind.Json,
            "application/merge-patch+json" => PatchKind.Merge,
            "application/strategic-merge-patch+json" => PatchKind.Strategic,
            "application/apply-patch+yaml" => PatchKind.Apply,
            _ => throw ApiException.UnsupportedMediaType(mediaType, PatchTypes),
        };
    }

    private static ListQuery ListQueryFrom(IQueryCollection query) => new(
        LabelSelector.Parse(query["labelSelector"]),
        FieldSelector.Parse(query["fieldSelector"]),
        int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0 ? limit : null,
        query["continue"].ToString() is { Length: > 0 } c ? c : null,
        query["resourceVersion"].ToString() is { Length: > 0 } rv ? rv : null,
        query["resourceVersionMatch"].ToString() is { Length: > 0 } m ? m : null);

    private static WriteOptions WriteOptionsFrom(IQueryCollection query) => new(
        string.Equals(query["dryRun"], ClusterState.DryRunAll, StringComparison.Ordinal),
        query["fieldValidation"].ToString() is { Length: > 0 } fv ? fv : null,
        query["fieldManager"].ToString() is { Length: > 0 } fm ? fm : null);

    private static bool IsTrue(Microsoft.Extensions.Primitives.StringValues value) =>
        string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) || string.Equals(value, "1", StringComparison.Ordinal);

    // ------------------------------------------------------------------ responses

    private static Task WriteResultAsync(HttpContext context, ResourceType view, WriteResult result)
    {
        foreach (var warning in result.Warnings)
        {
            context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }

        if (result.ReturnStatus)
        {
            var details = new JsonObject { ["name"] = result.Object.Name };
            if (view.Group.Length > 0)
            {
                details["group"] = view.Group;
            }

            details["kind"] = view.Resource;
            details["uid"] = result.Object.Uid;
            var status = new JsonObject
            {
                ["kind"] = "Status",
                ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject(),
                ["status"] = "Success",
                ["details"] = details,
            };
            return WriteJsonAsync(context, result.StatusCode, JsonText.Serialize(status));
        }

        return WriteObjectAsync(context, view, result.Object, result.StatusCode);
    }

    private static Task WriteObjectAsync(HttpContext context, ResourceType view, StoredObject obj, int status) =>
        WriteJsonAsync(context, status, view.Render(obj));

    private static async Task WriteListAsync(HttpContext context, ResourceType view, ListResult list)
    {
        var metadata = new JsonObject { ["resourceVersion"] = list.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (list.Continue is not null)
        {
            metadata["continue"] = list.Continue;
        }

        if (list.RemainingItemCount is { } remaining)
        {
            metadata["remainingItemCount"] = remaining;
        }

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        var writer = response.BodyWriter;
        writer.Write(Encoding.UTF8.GetBytes($"{{\"kind\":\"{view.ListKind}\",\"apiVersion\":\"{view.ApiVersion}\",\"metadata\":"));
        writer.Write(JsonText.Serialize(metadata));
        writer.Write(",\"items\":["u8);
        for (var i = 0; i < list.Items.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(","u8);
            }

            writer.Write(view.Render(list.Items[i]));
        }

        writer.Write("]}"u8);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteStatusAsync(HttpContext context, ApiException error)
    {
        if (error.RetryAfterSeconds is { } retry)
        {
            context.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        }

        await WriteJsonAsync(context, error.Code, JsonText.Serialize(error.ToStatus())).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
