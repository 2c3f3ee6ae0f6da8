namespace CsiProxy.Win.Paths;

/// <summary>
/// The paths a caller may name: absolute local paths strictly inside the kubelet path or one of the working
/// directories, compared segment by segment without regard to case ("C:\var\lib\kubelet-evil" is not inside
/// "C:\var\lib\kubelet"). Every refusal is a <see cref="ProxyException"/> of kind InvalidArgument naming the field.
/// </summary>
public sealed class PathRules
{
    private readonly WindowsPath[] _roots;

    public PathRules(IEnumerable<string> allowedRoots)
    {
        ArgumentNullException.ThrowIfNull(allowedRoots);
        var roots = new List<WindowsPath>();
        foreach (var root in allowedRoots)
        {
            if (!WindowsPath.TryParse(root, out var parsed, out var reason))
            {
                throw new ArgumentException($"allowed root \"{root}\" {reason}", nameof(allowedRoots));
            }
            if (parsed.Segments.Count == 0)
            {
                throw new ArgumentException($"allowed root \"{root}\" is a whole drive; name a directory", nameof(allowedRoots));
            }
            roots.Add(parsed);
        }
        if (roots.Count == 0)
        {
            throw new ArgumentException("at least one allowed root is needed", nameof(allowedRoots));
        }
        _roots = [.. roots];
    }

    public IReadOnlyList<string> Roots => _roots.Select(r => r.ToString()).ToArray();

    /// <summary>The canonical form of <paramref name="value"/> if it is an allowed path, else a refusal naming <paramref name="field"/>.</summary>
    public string Check(string field, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!WindowsPath.TryParse(value, out var path, out var reason))
        {
            throw ProxyException.InvalidField(field, reason);
        }
        foreach (var root in _roots)
        {
            if (path.IsInside(root))
            {
                return path.ToString();
            }
        }
        throw ProxyException.InvalidField(field, $"must be inside {string.Join(" or ", _roots.Select(r => r.ToString()))}");
    }
}
