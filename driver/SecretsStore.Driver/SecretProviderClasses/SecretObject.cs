namespace SecretsStore.Driver.SecretProviderClasses;

/// <summary>A Kubernetes Secret to keep in sync with mounted files (spec.secretObjects[]).</summary>
public sealed record SecretObject(
    string SecretName,
    string Type,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyList<SecretObjectData> Data);
