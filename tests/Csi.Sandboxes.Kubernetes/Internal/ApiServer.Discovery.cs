using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>API discovery: the groups, versions and resources the sandbox serves.</summary>
internal sealed partial class ApiServer
{
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
}
