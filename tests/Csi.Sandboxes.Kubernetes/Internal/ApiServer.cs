using System.Diagnostics;
using System.Text.Json.Nodes;
using Csi.Sandboxes.Common;
using Microsoft.AspNetCore.Http;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// The HTTP face of <see cref="ClusterState"/>: authentication, request resolution, fault injection, the REST verbs,
/// watch streams, discovery and the request log.
/// </summary>
internal sealed partial class ApiServer(
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
}
