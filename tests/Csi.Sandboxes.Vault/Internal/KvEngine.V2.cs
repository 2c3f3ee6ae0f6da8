using System.Globalization;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Vault.Internal;

/// <summary>KV version 2: the data paths (versions read, written with check-and-set, the latest soft-deleted) and the versions kept.</summary>
internal sealed partial class KvEngine
{
    private VaultResponse HandleV2(EngineRequest r)
    {
        var (section, key) = Split(r.Path);
        return (section, r.Operation) switch
        {
            ("data", "read") => ReadData(key, r),
            ("data", "create" or "update") => WriteData(key, r),
            ("data", "delete") => DeleteLatest(key),
            ("metadata", "read") => ReadMetadata(key),
            ("metadata", "list") => List(_v2.Keys, key),
            ("metadata", "create" or "update") => WriteMetadata(key, r),
            ("metadata", "delete") => DeleteAll(key),
            ("delete", "create" or "update") => VersionsOperation(key, r, VersionAction.Delete),
            ("undelete", "create" or "update") => VersionsOperation(key, r, VersionAction.Undelete),
            ("destroy", "create" or "update") => VersionsOperation(key, r, VersionAction.Destroy),
            ("config", "read") => ReadConfig(),
            ("data" or "metadata" or "delete" or "undelete" or "destroy" or "config", _) => VaultResponse.MultiError(405, "unsupported operation"),
            _ => InvalidPath(r),
        };
    }

    private static VaultResponse InvalidPath(EngineRequest r)
    {
        var sub = r.Operation switch
        {
            "read" => "get",
            "create" or "update" => "put",
            "patch" => "patch",
            "list" => "list",
            "delete" => "delete",
            _ => r.Operation,
        };

        // logical.RespondWithStatusCode: the whole response rendered by the plugin, hence mount_type "".
        return VaultResponse.Envelope(404, null, string.Empty, warnings: [$"Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv {sub}' for this operation."]);
    }

    private VaultResponse ReadData(string key, EngineRequest r)
    {
        if (!_v2.TryGetValue(key, out var secret))
        {
            return VaultResponse.NotFound();
        }

        var version = secret.CurrentVersion;
        if (r.Query.TryGetValue("version", out var raw) && raw.Length > 0)
        {
            if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var requested))
            {
                return VaultResponse.BadRequest($"error converting input {raw} for field \"version\"");
            }

            if (requested > 0)
            {
                version = requested;
            }
        }

        if (!secret.Versions.TryGetValue(version, out var ver))
        {
            return VaultResponse.NotFound();
        }

        var body = new JsonObject
        {
            ["data"] = null,
            ["metadata"] = VersionMetadata(version, ver, secret),
        };

        if (IsDeleted(ver, r.Now) || ver.Destroyed || ver.Data is null)
        {
            // Vault answers 404 and still shows the version's metadata.
            return VaultResponse.Envelope(404, body, string.Empty);
        }

        body["data"] = ver.Data.DeepClone();
        return VaultResponse.Ok(body, Type);
    }

    private VaultResponse WriteData(string key, EngineRequest r)
    {
        if (key.Length == 0)
        {
            return VaultResponse.BadRequest("missing path");
        }

        if (r.Body?["data"] is not JsonObject data)
        {
            return VaultResponse.BadRequest("no data provided");
        }

        _v2.TryGetValue(key, out var existing);
        var current = existing?.CurrentVersion ?? 0;
        var options = r.Body["options"] as JsonObject;
        var casNode = options?["cas"];
        if (casNode is not null)
        {
            if (!TryReadInt(casNode, out var cas))
            {
                return VaultResponse.BadRequest("error parsing check-and-set parameter");
            }

            if (cas != current)
            {
                return VaultResponse.BadRequest("check-and-set parameter did not match the current version");
            }
        }
        else if (CasRequired || existing?.CasRequired == true)
        {
            return VaultResponse.BadRequest("check-and-set parameter required for this call");
        }

        var version = AddVersion(key, data, r.Now);
        var secret = _v2[key];
        return VaultResponse.Ok(VersionMetadata(version, secret.Versions[version], secret), Type);
    }

    private VaultResponse DeleteLatest(string key)
    {
        Delete(key);
        return VaultResponse.NoContent();
    }

    private int AddVersion(string key, JsonObject data, DateTimeOffset now)
    {
        if (!_v2.TryGetValue(key, out var secret))
        {
            secret = new KvV2Secret { CreatedTime = now, UpdatedTime = now };
            _v2[key] = secret;
        }

        var version = secret.CurrentVersion + 1;
        secret.Versions[version] = new KvV2Version { Data = (JsonObject)data.DeepClone(), CreatedTime = now };
        secret.CurrentVersion = version;
        secret.UpdatedTime = now;
        if (secret.OldestVersion == 0)
        {
            secret.OldestVersion = version;
        }

        var max = secret.MaxVersions > 0 ? secret.MaxVersions : MaxVersions > 0 ? MaxVersions : 10;
        while (secret.Versions.Count > max)
        {
            var oldest = secret.Versions.Keys.Min();
            secret.Versions.Remove(oldest);
            secret.OldestVersion = secret.Versions.Keys.Min();
        }

        return version;
    }

    private static bool IsDeleted(KvV2Version ver, DateTimeOffset now) => ver.DeletionTime is { } d && d <= now;

    private sealed class KvV2Secret
    {
        public SortedDictionary<int, KvV2Version> Versions { get; } = [];

        public int CurrentVersion { get; set; }

        public int OldestVersion { get; set; }

        public int MaxVersions { get; set; }

        public bool CasRequired { get; set; }

        public Dictionary<string, string>? CustomMetadata { get; set; }

        public DateTimeOffset CreatedTime { get; init; }

        public DateTimeOffset UpdatedTime { get; set; }
    }

    private sealed class KvV2Version
    {
        public JsonObject? Data { get; set; }

        public DateTimeOffset CreatedTime { get; init; }

        public DateTimeOffset? DeletionTime { get; set; }

        public bool Destroyed { get; set; }
    }
}
