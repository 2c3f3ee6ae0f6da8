using System.Text.Json.Serialization;

namespace Csi.Providers.Aws.SecretsManager;

/// <summary>A JSON 1.1 error body: <c>__type</c> (maybe <c>namespace#Code</c>) and <c>message</c> or <c>Message</c>.</summary>
internal sealed class AwsErrorBody
{
    [JsonPropertyName("__type")]
    public string? Type { get; init; }

    [JsonPropertyName("code")]
    public string? Code { get; init; }

    [JsonPropertyName("message")]
    public string? LowerMessage { get; init; }

    [JsonPropertyName("Message")]
    public string? UpperMessage { get; init; }
}
