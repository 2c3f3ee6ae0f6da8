namespace Csi.Providers.Aws.SecretsManager;

/// <summary>The body of secretsmanager.GetSecretValue.</summary>
internal sealed class GetSecretValueRequest
{
    public required string SecretId { get; init; }

    public string? VersionId { get; init; }

    public string? VersionStage { get; init; }
}
