using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>What a write produced: the object (storage form), the HTTP status, and warnings for the client.</summary>
internal sealed record WriteResult(StoredObject Object, int StatusCode)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>A delete that answers with a <c>Status</c> rather than the object.</summary>
    public bool ReturnStatus { get; init; }

    public bool Deleted { get; init; }
}

/// <summary>Query options shared by writes.</summary>
internal sealed record WriteOptions(bool DryRun = false, string? FieldValidation = null, string? FieldManager = null);

/// <summary>DeleteOptions, from the body and the query.</summary>
internal sealed record DeleteOptions(string? PropagationPolicy = null, bool? OrphanDependents = null, string? Uid = null, string? ResourceVersion = null, bool DryRun = false)
{
    public static DeleteOptions From(JsonObject? body, string? propagationPolicy, string? orphanDependents, string? dryRun)
    {
        var policy = propagationPolicy ?? JsonText.GetString(body, "propagationPolicy");
        bool? orphan = orphanDependents is not null
            ? string.Equals(orphanDependents, "true", StringComparison.OrdinalIgnoreCase)
            : body?["orphanDependents"] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;
        var preconditions = body?["preconditions"] as JsonObject;
        var dry = string.Equals(dryRun, ClusterState.DryRunAll, StringComparison.Ordinal)
            || JsonText.Strings(body?["dryRun"]).Contains(ClusterState.DryRunAll, StringComparer.Ordinal);
        return new DeleteOptions(policy, orphan, JsonText.GetString(preconditions, "uid"), JsonText.GetString(preconditions, "resourceVersion"), dry);
    }
}

internal enum PatchKind
{
    Json,
    Merge,
    Strategic,
    Apply,
}

/// <summary>List options: selectors, paging and resourceVersion semantics.</summary>
internal sealed record ListQuery(LabelSelector Labels, FieldSelector Fields, int? Limit, string? Continue, string? ResourceVersion, string? ResourceVersionMatch);

/// <summary>Watch options.</summary>
internal sealed record WatchQuery(LabelSelector Labels, FieldSelector Fields, string? ResourceVersion, bool AllowBookmarks, bool SendInitialEvents);

/// <summary>A page of a list.</summary>
internal sealed record ListResult(IReadOnlyList<StoredObject> Items, ulong ResourceVersion, string? Continue, int? RemainingItemCount);

/// <summary>
/// The opaque <c>continue</c> token: the resourceVersion the list is pinned to (-1 for an inconsistent continuation
/// after expiry) and the last key returned.
/// </summary>
internal sealed record ContinueToken(long ResourceVersion, string Start)
{
    public const string ExpiredMessage =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    public string Encode()
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = ResourceVersion, ["start"] = Start };
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    public static ContinueToken Decode(string token)
    {
        try
        {
            var json = JsonNode.Parse(Base64Url.DecodeFromChars(token)) as JsonObject;
            if (json is null || JsonText.GetString(json, "v") != "meta.k8s.io/v1" || json["rv"] is not JsonValue rv || JsonText.GetString(json, "start") is not { } start)
            {
                throw ApiException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
            }

            return new ContinueToken(rv.GetValue<long>(), start);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            throw ApiException.BadRequest("continue key is not valid: " + e.Message);
        }
    }
}
