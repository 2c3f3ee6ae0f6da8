using System.Text;
using System.Text.Json;
using Csi.Common;
using SecretsStore.Driver.PodStatuses;
using SecretsStore.Driver.SecretProviderClasses;
using SecretsStore.Provider.V1Alpha1;

namespace SecretsStore.Driver.Publishing;

/// <summary>Builds the provider's MountRequest exactly as upstream composes it, plus the current object versions.</summary>
public static class MountRequestBuilder
{
    /// <summary>The default file mode, 0644, which upstream sends as the JSON number 420.</summary>
    public const string DefaultPermission = "420";

    public static MountRequest Build(SecretProviderClass spc, PublishVolumeRequest request, string targetPath, IReadOnlyList<ObjectVersionRecord> currentVersions)
    {
        // The class's parameters, overlaid with every volume-context key; tokens that came in secrets are added too.
        var attributes = new Dictionary<string, string>(spc.Parameters, StringComparer.Ordinal);
        foreach (var (key, value) in request.VolumeContext)
        {
            attributes[key] = value;
        }
        if (request.ServiceAccountTokens is { } tokens)
        {
            attributes[VolumeContextKeys.ServiceAccountTokens] = tokens;
        }

        var mount = new MountRequest
        {
            Attributes = ToJson(attributes),
            Secrets = ToJson(request.Secrets),
            TargetPath = targetPath,
            Permission = DefaultPermission,
        };
        foreach (var version in currentVersions)
        {
            mount.CurrentObjectVersion.Add(new ObjectVersion { Id = version.Id, Version = version.Version });
        }
        return mount;
    }

    public static string ToJson(IReadOnlyDictionary<string, string> map)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteString(key, value);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
