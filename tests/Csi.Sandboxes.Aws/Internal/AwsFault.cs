namespace Csi.Sandboxes.Aws.Internal;

/// <summary>An error the sandbox answers with: HTTP status, AWS error code and message. Thrown inside handlers only.</summary>
#pragma warning disable CA1032, CA1064 // internal control flow, never surfaces outside the sandbox
internal sealed class AwsFault(int statusCode, string code, string message) : Exception(message)
#pragma warning restore CA1032, CA1064
{
    public int StatusCode { get; } = statusCode;

    public string Code { get; } = code;

    public static AwsFault BadRequest(string code, string message) => new(400, code, message);
}
