using System.Globalization;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Vault.Internal;

/// <summary>The KV secrets engine, version 1 (passthrough) or 2 (versioned), following vault-plugin-secrets-kv.</summary>
internal sealed partial class KvEngine : SecretEngine
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
}
