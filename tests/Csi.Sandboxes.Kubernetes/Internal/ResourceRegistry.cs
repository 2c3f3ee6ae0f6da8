namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>Every served resource, by group/version/resource and by group/version/kind; groups in discovery order.</summary>
internal sealed class ResourceRegistry
{
    private readonly Dictionary<(string Group, string Version, string Resource), ResourceType> _byResource = [];
    private readonly Dictionary<(string Group, string Version, string Kind), ResourceType> _byKind = [];
    private readonly List<string> _groupOrder = [];
    private readonly Dictionary<string, List<string>> _versions = new(StringComparer.Ordinal);

    public IEnumerable<string> Groups => _groupOrder;

    public IReadOnlyList<string> VersionsOf(string group) => _versions.TryGetValue(group, out var v) ? v : [];

    public IEnumerable<ResourceType> In(string group, string version) =>
        _byResource.Values.Where(t => t.Group == group && t.Version == version).OrderBy(t => t.Resource, StringComparer.Ordinal);

    public IEnumerable<ResourceType> All => _byResource.Values;

    public void Add(ResourceType type)
    {
        _byResource[(type.Group, type.Version, type.Resource)] = type;
        _byKind[(type.Group, type.Version, type.Kind)] = type;
        if (!_versions.TryGetValue(type.Group, out var versions))
        {
            versions = [];
            _versions[type.Group] = versions;
            _groupOrder.Add(type.Group);
        }

        if (!versions.Contains(type.Version, StringComparer.Ordinal))
        {
            versions.Add(type.Version);
        }
    }

    /// <summary>Sets the order versions are listed in (preferred first).</summary>
    public void OrderVersions(string group, IEnumerable<string> preferredFirst)
    {
        if (_versions.TryGetValue(group, out var versions))
        {
            var order = preferredFirst.ToList();
            versions.Sort((a, b) => Rank(a).CompareTo(Rank(b)));

            int Rank(string v)
            {
                var i = order.IndexOf(v);
                return i < 0 ? int.MaxValue : i;
            }
        }
    }

    public void RemoveWhere(Func<ResourceType, bool> predicate)
    {
        foreach (var type in _byResource.Values.Where(predicate).ToList())
        {
            _byResource.Remove((type.Group, type.Version, type.Resource));
            _byKind.Remove((type.Group, type.Version, type.Kind));
        }

        foreach (var group in _groupOrder.ToList())
        {
            var versions = _versions[group];
            versions.RemoveAll(v => !_byResource.Keys.Any(k => k.Group == group && k.Version == v));
            if (versions.Count == 0)
            {
                _versions.Remove(group);
                _groupOrder.Remove(group);
            }
        }
    }

    public ResourceType? Find(string group, string version, string resource) =>
        _byResource.GetValueOrDefault((group, version, resource));

    public ResourceType? FindKind(string apiVersion, string kind)
    {
        var (group, version) = SplitApiVersion(apiVersion);
        return _byKind.GetValueOrDefault((group, version, kind));
    }

    /// <summary>Any served version of a group/kind (owner references name a kind, not a resource).</summary>
    public ResourceType? FindGroupKind(string group, string kind) =>
        _byKind.Values.FirstOrDefault(t => t.Group == group && t.Kind == kind);

    public static (string Group, string Version) SplitApiVersion(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (string.Empty, apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }
}
