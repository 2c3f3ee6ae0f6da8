using SecretsStore.Driver.SecretProviderClasses;

namespace SecretsStore.Driver.SecretSync;

/// <summary>
/// Turns one spec.secretObjects[] entry and the files of a mounted volume into the Secret to write: the declared
/// type, labels and annotations plus the managed label, and one data key per data[] entry from the file its
/// objectName names (kubernetes.io/tls: tls.key and tls.crt cut from PEM or PFX).
/// </summary>
public static class SyncedSecretBuilder
{
    public const string ManagedLabel = "secrets-store.csi.k8s.io/managed";

    /// <param name="spec">The secretObjects[] entry.</param>
    /// <param name="className">The SecretProviderClass, for messages.</param>
    /// <param name="readFile">The content of a mounted file by relative path; null when there is none.</param>
    /// <param name="describeMounted">The mounted file names, for the message when an objectName is missing.</param>
    public static DesiredSecret Build(SecretObject spec, string className, Func<string, byte[]?> readFile, Func<string> describeMounted)
    {
        if (string.IsNullOrWhiteSpace(spec.SecretName))
        {
            throw new SecretSyncException($"a secretObjects entry of SecretProviderClass {className} has no secretName; set secretName to the Secret to create");
        }
        var name = spec.SecretName;
        if (string.IsNullOrWhiteSpace(spec.Type))
        {
            throw new SecretSyncException($"Secret {name}: secretObjects of SecretProviderClass {className} declares no type; set type (Opaque, kubernetes.io/tls, ...)");
        }

        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in spec.Data)
        {
            if (string.IsNullOrEmpty(entry.ObjectName) || string.IsNullOrEmpty(entry.Key))
            {
                throw new SecretSyncException($"Secret {name}: a data entry in SecretProviderClass {className} lacks objectName or key; set both");
            }
            if (!IsSafeRelativePath(entry.ObjectName))
            {
                throw new SecretSyncException($"Secret {name}: objectName \"{entry.ObjectName}\" in SecretProviderClass {className} is not a relative path inside the volume");
            }
            var content = readFile(entry.ObjectName)
                ?? throw new SecretSyncException($"Secret {name}: objectName \"{entry.ObjectName}\" is not among the files mounted from SecretProviderClass {className} ({describeMounted()}); set objectName to the name of a mounted file (the object's alias if it has one)");
            try
            {
                data[entry.Key] = spec.Type == TlsSecretContent.TlsType ? TlsSecretContent.Extract(content, entry.Key, entry.ObjectName) : content;
            }
            catch (SecretSyncException e)
            {
                throw new SecretSyncException($"Secret {name} ({spec.Type}): {e.Message}", e);
            }
        }

        var labels = new Dictionary<string, string>(spec.Labels, StringComparer.Ordinal) { [ManagedLabel] = "true" };
        return new DesiredSecret(name, spec.Type, labels, new Dictionary<string, string>(spec.Annotations, StringComparer.Ordinal), data);
    }

    private static bool IsSafeRelativePath(string path)
        => !Path.IsPathRooted(path) && !path.Split('/').Any(segment => segment is ".." || segment.StartsWith("..", StringComparison.Ordinal));
}
