using System.Globalization;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Vault.Internal;

/// <summary>The KV secrets engine, version 1 (passthrough) or 2 (versioned), following vault-plugin-secrets-kv.</summary>
internal sealed class KvEngine : SecretEngine
{
    private const long DefaultLeaseSeconds = 768 * 3600;

    private readonly Dictionary<string, JsonObject> _v1 = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KvV2Secret> _v2 = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    public KvEngine(string path, int version, TimeProvider clock, int maxVersions = 0, bool casRequired = false)
        : base(path, "kv")
    {
        Version = version;
        _clock = clock;
        MaxVersions = maxVersions;
        CasRequired = casRequired;
    }

    public int Version { get; }

    /// <summary>Mount config <c>max_versions</c>; 0 means Vault's default of 10.</summary>
    public int MaxVersions { get; }

    public bool CasRequired { get; }

    public override bool? Exists(string path)
    {
        if (Version == 1)
        {
            return _v1.ContainsKey(path);
        }

        if (path.StartsWith("data/", StringComparison.Ordinal))
        {
            return _v2.ContainsKey(path[5..]);
        }

        if (path.StartsWith("metadata/", StringComparison.Ordinal))
        {
            return _v2.ContainsKey(path[9..]);
        }

        return null;
    }

    public override VaultResponse Handle(EngineRequest request) =>
        Version == 1 ? HandleV1(request) : HandleV2(request);

    // ---- Direct access for seeding and inspection (callers hold the sandbox lock). ----
    public int Write(string key, JsonObject data)
    {
        if (Version == 1)
        {
            _v1[key] = (JsonObject)data.DeepClone();
            return 0;
        }

        return AddVersion(key, data, _clock.GetUtcNow());
    }

    public JsonObject? Read(string key, int? version)
    {
        if (Version == 1)
        {
            return _v1.TryGetValue(key, out var d) ? (JsonObject)d.DeepClone() : null;
        }

        if (!_v2.TryGetValue(key, out var secret))
        {
            return null;
        }

        var v = version ?? secret.CurrentVersion;
        return secret.Versions.TryGetValue(v, out var ver) && ver.Data is not null && !IsDeleted(ver, _clock.GetUtcNow())
            ? (JsonObject)ver.Data.DeepClone()
            : null;
    }

    public bool Delete(string key)
    {
        if (Version == 1)
        {
            return _v1.Remove(key);
        }

        if (!_v2.TryGetValue(key, out var secret) || !secret.Versions.TryGetValue(secret.CurrentVersion, out var ver) || ver.Destroyed)
        {
            return false;
        }

        ver.DeletionTime ??= _clock.GetUtcNow();
        secret.UpdatedTime = _clock.GetUtcNow();
        return true;
    }

    public void DeleteVersions(string key, IEnumerable<int> versions, bool destroy)
    {
        if (Version == 1 || !_v2.TryGetValue(key, out var secret))
        {
            return;
        }

        var now = _clock.GetUtcNow();
        foreach (var v in versions)
        {
            if (!secret.Versions.TryGetValue(v, out var ver))
            {
                continue;
            }

            if (destroy)
            {
                ver.Destroyed = true;
                ver.Data = null;
            }
            else if (!ver.Destroyed)
            {
                ver.DeletionTime ??= now;
            }
        }

        secret.UpdatedTime = now;
    }

    public bool DeleteMetadata(string key) => Version == 1 ? _v1.Remove(key) : _v2.Remove(key);

    public int? CurrentVersion(string key) =>
        Version == 2 && _v2.TryGetValue(key, out var s) ? s.CurrentVersion : null;

    // ---- KV v1 ----
    private VaultResponse HandleV1(EngineRequest r)
    {
        switch (r.Operation)
        {
            case "read":
                if (!_v1.TryGetValue(r.Path, out var data))
                {
                    return VaultResponse.NotFound();
                }

                var lease = DefaultLeaseSeconds;
                var ttlNode = data["ttl"] ?? data["lease"];
                if (ttlNode is not null && VaultText.TryParseDuration(ttlNode, out var ttl))
                {
                    lease = (long)ttl.TotalSeconds;
                }

                return VaultResponse.Envelope(200, data.DeepClone(), Type, leaseDuration: lease);

            case "list":
                return List(_v1.Keys, r.Path);

            case "create":
            case "update":
                if (r.Path.Length == 0)
                {
                    return VaultResponse.BadRequest("missing path");
                }

                if (r.Body is null || r.Body.Count == 0)
                {
                    return VaultResponse.BadRequest("missing data fields");
                }

                _v1[r.Path] = (JsonObject)r.Body.DeepClone();
                return VaultResponse.NoContent();

            case "delete":
                _v1.Remove(r.Path);
                return VaultResponse.NoContent();

            default:
                return VaultResponse.MultiError(405, "unsupported operation");
        }
    }

    // ---- KV v2 ----
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

    private static bool IsDeleted(KvV2Version ver, DateTimeOffset now) => ver.DeletionTime is { } d && d <= now;

    private static (string Section, string Key) Split(string path)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (path, string.Empty) : (path[..slash], path[(slash + 1)..]);
    }

    private static bool TryReadInt(JsonNode node, out int value)
    {
        value = 0;
        if (node is not JsonValue v)
        {
            return false;
        }

        if (v.TryGetValue<int>(out value))
        {
            return true;
        }

        if (v.TryGetValue<double>(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)d;
            return true;
        }

        return v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>LIST: the immediate children of <paramref name="prefix"/>, folders with a trailing slash; 404 when none.</summary>
    private VaultResponse List(IEnumerable<string> keys, string prefix)
    {
        if (prefix.Length > 0 && !prefix.EndsWith('/'))
        {
            prefix += "/";
        }

        var children = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal) || key.Length == prefix.Length)
            {
                continue;
            }

            var rest = key[prefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            children.Add(slash < 0 ? rest : rest[..(slash + 1)]);
        }

        if (children.Count == 0)
        {
            return VaultResponse.NotFound();
        }

        var array = new JsonArray();
        foreach (var c in children)
        {
            array.Add(c);
        }

        return VaultResponse.Ok(new JsonObject { ["keys"] = array }, Type);
    }

    private enum VersionAction
    {
        Delete,
        Undelete,
        Destroy,
    }

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
