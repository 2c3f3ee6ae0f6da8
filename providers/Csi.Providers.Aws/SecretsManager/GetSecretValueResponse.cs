namespace Csi.Providers.Aws.SecretsManager;

/// <summary>What secretsmanager.GetSecretValue answers; a class, not a record, so that nothing prints the value.</summary>
internal sealed class GetSecretValueResponse
{
    public string? ARN { get; init; }

    public string? Name { get; init; }

    public string? VersionId { get; init; }

    public IReadOnlyList<string>? VersionStages { get; init; }

    public string? SecretString { get; init; }

    /// <summary>Base64 on the wire; System.Text.Json decodes it.</summary>
    public byte[]? SecretBinary { get; init; }

    public double? CreatedDate { get; init; }

    /// <summary>The value as the file's bytes: the string as UTF-8, else the binary.</summary>
    public byte[] Value() => SecretString is not null ? System.Text.Encoding.UTF8.GetBytes(SecretString) : SecretBinary ?? [];

    public override string ToString() => $"GetSecretValueResponse {{ Name = {Name}, VersionId = {VersionId} }}";
}
