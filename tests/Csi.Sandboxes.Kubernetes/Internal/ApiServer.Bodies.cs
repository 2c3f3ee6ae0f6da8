using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>Request bodies, query options and response writing.</summary>
internal sealed partial class ApiServer
{
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
