namespace Csi.Providers.Aws.SecretsManager;

/// <summary>The part of secretsmanager.DescribeSecret the provider reads: which stages each version carries.</summary>
internal sealed class DescribeSecretResponse
{
    public string? ARN { get; init; }

    public string? Name { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>>? VersionIdsToStages { get; init; }

    public double? DeletedDate { get; init; }

    /// <summary>True when <paramref name="versionId"/> carries <paramref name="stage"/>.</summary>
    public bool HasStage(string versionId, string stage) =>
        VersionIdsToStages is not null
        && VersionIdsToStages.TryGetValue(versionId, out var stages)
        && stages.Contains(stage, StringComparer.Ordinal);
}
