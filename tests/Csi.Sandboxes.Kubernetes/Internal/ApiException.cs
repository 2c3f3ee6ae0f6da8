using System.Globalization;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// An API failure carried up to the HTTP layer and rendered as a <c>v1 Status</c>, with the reasons, messages and
/// details the API server's <c>k8s.io/apimachinery/pkg/api/errors</c> constructors produce.
/// </summary>
internal sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }

    public string Reason { get; }

    public JsonObject? Details { get; }

    /// <summary>Seconds for a <c>Retry-After</c> header (429, 503, 504).</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>A continue token carried in the Status' list metadata (410 on an expired continue).</summary>
    public string? Continue { get; init; }

    public JsonObject ToStatus()
    {
        var metadata = new JsonObject();
        if (Continue is not null)
        {
            metadata["continue"] = Continue;
        }

        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = metadata,
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        if (Details is not null)
        {
            status["details"] = Details.DeepClone();
        }

        status["code"] = Code;
        return status;
    }

    public static ApiException NotFound(GroupResource resource, string name) =>
        new(404, "NotFound", $"{resource} \"{name}\" not found", DetailsFor(resource, name));

    public static ApiException NotFoundPath() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static ApiException AlreadyExists(GroupResource resource, string name) =>
        new(409, "AlreadyExists", $"{resource} \"{name}\" already exists", DetailsFor(resource, name));

    public static ApiException Conflict(GroupResource resource, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {resource} \"{name}\": {why}", DetailsFor(resource, name));

    public static ApiException StaleResourceVersion(GroupResource resource, string name) =>
        Conflict(resource, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiException Invalid(string qualifiedKind, string group, string kind, string name, IReadOnlyList<FieldError> errors)
    {
        var causes = new JsonArray();
        foreach (var e in errors)
        {
            causes.Add(new JsonObject { ["reason"] = e.Reason, ["message"] = e.Detail, ["field"] = e.Field });
        }

        var details = new JsonObject { ["name"] = name };
        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        details["causes"] = causes;
        var aggregate = errors.Count == 1 ? errors[0].ToString() : "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]";
        return new ApiException(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {aggregate}", details);
    }

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Forbidden(GroupResource resource, string? name, string why) =>
        new(403, "Forbidden", string.IsNullOrEmpty(name) ? $"{resource} is forbidden: {why}" : $"{resource} \"{name}\" is forbidden: {why}", DetailsFor(resource, name ?? string.Empty));

    public static ApiException MethodNotAllowed(GroupResource resource, string operation) =>
        new(405, "MethodNotAllowed", $"{operation} is not supported on resources of kind \"{resource}\"", DetailsFor(resource, string.Empty));

    public static ApiException UnsupportedMediaType(string contentType, IEnumerable<string> accepted) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}", new JsonObject());

    public static ApiException Expired(string message) => new(410, "Expired", message);

    public static ApiException TooManyRequests(int retryAfterSeconds, string? message = null) =>
        new(429, "TooManyRequests", message ?? "Too many requests, please try again later.", new JsonObject { ["retryAfterSeconds"] = retryAfterSeconds })
        {
            RetryAfterSeconds = retryAfterSeconds,
        };

    public static ApiException InternalError(string cause) =>
        new(500, "InternalError", $"Internal error occurred: {cause}", new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = cause }) });

    public static ApiException Timeout(string message, int retryAfterSeconds) =>
        new(504, "Timeout", $"Timeout: {message}", new JsonObject { ["retryAfterSeconds"] = retryAfterSeconds }) { RetryAfterSeconds = retryAfterSeconds };

    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    /// <summary>The reason the API server uses for a bare status code (for injected faults).</summary>
    public static string ReasonFor(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        409 => "Conflict",
        410 => "Expired",
        413 => "RequestEntityTooLarge",
        415 => "UnsupportedMediaType",
        422 => "Invalid",
        429 => "TooManyRequests",
        500 => "InternalError",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "Unknown",
    };

    public static string Quote(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => "\"" + s + "\"",
        _ => value.ToJsonString(),
    };

    public static string Format(double d) => d.ToString(CultureInfo.InvariantCulture);

    private static JsonObject DetailsFor(GroupResource resource, string name)
    {
        var details = new JsonObject();
        if (name.Length > 0)
        {
            details["name"] = name;
        }

        if (resource.Group.Length > 0)
        {
            details["group"] = resource.Group;
        }

        details["kind"] = resource.Resource;
        return details;
    }
}

/// <summary>A resource qualified by its API group, printed as the API server does (<c>leases.coordination.k8s.io</c>).</summary>
internal readonly record struct GroupResource(string Group, string Resource)
{
    public override string ToString() => Group.Length == 0 ? Resource : Resource + "." + Group;
}

/// <summary>One field validation failure (<c>field.Error</c>): reason, path and detail.</summary>
internal sealed record FieldError(string Reason, string Field, string Detail)
{
    public static FieldError Required(string field, string? why = null) =>
        new("FieldValueRequired", field, string.IsNullOrEmpty(why) ? "Required value" : "Required value: " + why);

    public static FieldError Invalid(string field, JsonNode? value, string why) =>
        new("FieldValueInvalid", field, $"Invalid value: {ApiException.Quote(value)}: {why}");

    public static FieldError TypeInvalid(string field, JsonNode? value, string why) =>
        new("FieldValueTypeInvalid", field, $"Invalid value: {ApiException.Quote(value)}: {why}");

    public static FieldError NotSupported(string field, JsonNode? value, IEnumerable<string> supported) =>
        new("FieldValueNotSupported", field, $"Unsupported value: {ApiException.Quote(value)}: supported values: {string.Join(", ", supported)}");

    public static FieldError Forbidden(string field, string why) => new("FieldValueForbidden", field, "Forbidden: " + why);

    public override string ToString() => $"{Field}: {Detail}";
}
