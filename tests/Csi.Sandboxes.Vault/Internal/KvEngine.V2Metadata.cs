using System.Globalization;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Vault.Internal;

/// <summary>KV version 2: metadata, version deletion, undeletion and destruction, and the mount config.</summary>
internal sealed partial class KvEngine
{
    private VaultResponse ReadMetadata(string key)
    {
        if (!_v2.TryGetValue(key, out var secret))
        {
            return VaultResponse.NotFound();
        }

        var versions = new JsonObject();
        foreach (var (number, ver) in secret.Versions)
        {
            versions[number.ToString(CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["created_time"] = VaultText.Timestamp(ver.CreatedTime),
                ["deletion_time"] = ver.DeletionTime is { } d ? VaultText.Timestamp(d) : string.Empty,
                ["destroyed"] = ver.Destroyed,
            };
        }

        var data = new JsonObject
        {
            ["cas_required"] = secret.CasRequired,
            ["created_time"] = VaultText.Timestamp(secret.CreatedTime),
            ["current_version"] = secret.CurrentVersion,
            ["custom_metadata"] = CustomMetadata(secret),
            ["delete_version_after"] = "0s",
            ["max_versions"] = secret.MaxVersions,
            ["oldest_version"] = secret.OldestVersion,
            ["updated_time"] = VaultText.Timestamp(secret.UpdatedTime),
            ["versions"] = versions,
        };
        return VaultResponse.Ok(data, Type);
    }

    private VaultResponse WriteMetadata(string key, EngineRequest r)
    {
        if (key.Length == 0)
        {
            return VaultResponse.BadRequest("missing path");
        }

        if (!_v2.TryGetValue(key, out var secret))
        {
            secret = new KvV2Secret { CreatedTime = r.Now, UpdatedTime = r.Now };
            _v2[key] = secret;
        }

        if (r.Body is { } body)
        {
            if (body["max_versions"] is { } mv && TryReadInt(mv, out var max))
            {
                secret.MaxVersions = max;
            }

            if (body["cas_required"] is JsonValue cr && cr.TryGetValue<bool>(out var casRequired))
            {
                secret.CasRequired = casRequired;
            }

            if (body["custom_metadata"] is JsonObject custom)
            {
                secret.CustomMetadata = custom.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? string.Empty, StringComparer.Ordinal);
            }
        }

        secret.UpdatedTime = r.Now;
        return VaultResponse.NoContent();
    }

    private VaultResponse DeleteAll(string key)
    {
        _v2.Remove(key);
        return VaultResponse.NoContent();
    }

    private VaultResponse VersionsOperation(string key, EngineRequest r, VersionAction action)
    {
        var versions = new List<int>();
        if (r.Body?["versions"] is JsonArray array)
        {
            foreach (var item in array)
            {
                if (item is not null && TryReadInt(item, out var v))
                {
                    versions.Add(v);
                }
            }
        }

        if (versions.Count == 0)
        {
            return VaultResponse.BadRequest("No version number provided");
        }

        if (!_v2.TryGetValue(key, out var secret))
        {
            return VaultResponse.NoContent();
        }

        switch (action)
        {
            case VersionAction.Delete:
                DeleteVersions(key, versions, destroy: false);
                break;
            case VersionAction.Destroy:
                DeleteVersions(key, versions, destroy: true);
                break;
            default:
                foreach (var v in versions)
                {
                    if (secret.Versions.TryGetValue(v, out var ver) && !ver.Destroyed)
                    {
                        ver.DeletionTime = null;
                    }
                }

                secret.UpdatedTime = r.Now;
                break;
        }

        return VaultResponse.NoContent();
    }

    private VaultResponse ReadConfig() =>
        VaultResponse.Ok(
            new JsonObject
            {
                ["cas_required"] = CasRequired,
                ["delete_version_after"] = "0s",
                ["max_versions"] = MaxVersions,
            },
            Type);

    private static JsonObject VersionMetadata(int version, KvV2Version ver, KvV2Secret secret) =>
        new()
        {
            ["created_time"] = VaultText.Timestamp(ver.CreatedTime),
            ["custom_metadata"] = CustomMetadata(secret),
            ["deletion_time"] = ver.DeletionTime is { } d ? VaultText.Timestamp(d) : string.Empty,
            ["destroyed"] = ver.Destroyed,
            ["version"] = version,
        };

    private static JsonObject? CustomMetadata(KvV2Secret secret)
    {
        if (secret.CustomMetadata is null)
        {
            return null;
        }

        var o = new JsonObject();
        foreach (var (k, v) in secret.CustomMetadata)
        {
            o[k] = v;
        }

        return o;
    }

    private enum VersionAction
    {
        Delete,
        Undelete,
        Destroy,
    }
}
