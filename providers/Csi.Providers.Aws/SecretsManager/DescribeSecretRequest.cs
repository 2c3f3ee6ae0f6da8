namespace Csi.Providers.Aws.SecretsManager;

/// <summary>The body of secretsmanager.DescribeSecret.</summary>
internal sealed class DescribeSecretRequest
{
    public required string SecretId { get; init; }
}
