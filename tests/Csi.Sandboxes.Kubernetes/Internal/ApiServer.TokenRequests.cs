using System.Text.Json.Nodes;
using Csi.Sandboxes.Common;
using Microsoft.AspNetCore.Http;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>The TokenRequest subresource of service accounts.</summary>
internal sealed partial class ApiServer
{
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
}
