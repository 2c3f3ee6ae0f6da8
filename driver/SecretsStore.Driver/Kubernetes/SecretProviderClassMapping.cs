using SecretsStore.Driver.Kubernetes.Models;
using SecretsStore.Driver.SecretProviderClasses;

namespace SecretsStore.Driver.Kubernetes;

/// <summary>Maps a SecretProviderClass object from the API (v1 or v1alpha1) to the driver's model; absent fields become empty.</summary>
public static class SecretProviderClassMapping
{
    public static SecretProviderClass ToDriverModel(SecretProviderClassResource resource, string requestedNamespace)
    {
        var spec = resource.Spec;
        var secretObjects = (spec?.SecretObjects ?? [])
            .Where(o => o is not null)
            .Select(o => new SecretObject(
                o!.SecretName ?? string.Empty,
                o.Type ?? string.Empty,
                Copy(o.Labels),
                Copy(o.Annotations),
                (o.Data ?? []).Where(d => d is not null).Select(d => new SecretObjectData(d!.ObjectName ?? string.Empty, d.Key ?? string.Empty)).ToArray()))
            .ToArray();
        return new SecretProviderClass(
            resource.Metadata.Namespace is { Length: > 0 } ns ? ns : requestedNamespace,
            resource.Metadata.Name ?? string.Empty,
            spec?.Provider ?? string.Empty,
            Copy(spec?.Parameters),
            secretObjects);
    }

    private static Dictionary<string, string> Copy(Dictionary<string, string>? map)
        => map is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(map, StringComparer.Ordinal);
}
