namespace SecretsStore.Driver.SecretProviderClasses;

/// <summary>A SecretProviderClass (secrets-store.csi.x-k8s.io v1 or v1alpha1): which provider, with what parameters.</summary>
public sealed record SecretProviderClass(
    string Namespace,
    string Name,
    string Provider,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyList<SecretObject> SecretObjects)
{
    public string QualifiedName => Namespace + "/" + Name;
}
