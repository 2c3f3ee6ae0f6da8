namespace SecretsStore.Driver.SecretProviderClasses;

/// <summary>Where the driver finds SecretProviderClasses: the Kubernetes API, or a directory in standalone mode.</summary>
public interface ISecretProviderClassSource
{
    /// <summary>The class, or null when the namespace has none by that name.</summary>
    ValueTask<SecretProviderClass?> GetAsync(string podNamespace, string name, CancellationToken cancellationToken);

    /// <summary>Where a user creates the class, for error messages ("namespace x", "directory y").</summary>
    string Describe(string podNamespace);

    /// <summary>A volume mounted at <paramref name="targetPath"/> uses the class: a cache keeps it while any volume does.</summary>
    void Retain(string targetPath, string podNamespace, string name);

    /// <summary>The volume at <paramref name="targetPath"/> is gone (or never mounted).</summary>
    void Release(string targetPath);
}
