namespace Csi.Providers.Aws.Credentials;

/// <summary>The Pod Identity agent's answer (the container-credentials format); never printed.</summary>
internal sealed class PodIdentityAgentResponse
{
    public string? AccessKeyId { get; init; }

    public string? SecretAccessKey { get; init; }

    public string? Token { get; init; }

    public string? AccountId { get; init; }

    public string? Expiration { get; init; }

    public string? Code { get; init; }

    public string? Message { get; init; }

    public override string ToString() => $"PodIdentityAgentResponse {{ AccountId = {AccountId}, Expiration = {Expiration} }}";
}
