namespace SecretsStore.Driver.PodStatuses;

/// <summary>
/// What a SecretProviderClassPodStatus records about one mounted volume; <see cref="SecretNames"/> are the Secrets
/// (spec.secretObjects) of the class as this volume last mounted it, which other nodes read before deleting one.
/// </summary>
public sealed record PodStatusRecord(
    string PodName,
    string PodNamespace,
    string PodUid,
    string SecretProviderClassName,
    string NodeId,
    string TargetPath,
    bool Mounted,
    IReadOnlyList<ObjectVersionRecord> Objects,
    IReadOnlyList<string>? SecretNames = null)
{
    /// <summary>Upstream's object name: &lt;pod&gt;-&lt;namespace&gt;-&lt;class&gt;.</summary>
    public string Name => $"{PodName}-{PodNamespace}-{SecretProviderClassName}";
}
