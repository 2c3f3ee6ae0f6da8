namespace SecretsStore.Driver.PodStatuses;

/// <summary>What a SecretProviderClassPodStatus records about one mounted volume.</summary>
public sealed record PodStatusRecord(
    string PodName,
    string PodNamespace,
    string PodUid,
    string SecretProviderClassName,
    string NodeId,
    string TargetPath,
    bool Mounted,
    IReadOnlyList<ObjectVersionRecord> Objects)
{
    /// <summary>Upstream's object name: &lt;pod&gt;-&lt;namespace&gt;-&lt;class&gt;.</summary>
    public string Name => $"{PodName}-{PodNamespace}-{SecretProviderClassName}";
}
