namespace CsiProxy.Win.Paths;

/// <summary>The host services the system group may query, start or stop; any other name is refused.</summary>
public sealed class ServiceAllowList
{
    /// <summary>The iSCSI initiator: the one host service node plugins are known to start.</summary>
    public static readonly IReadOnlyList<string> Defaults = ["MSiSCSI"];

    private const int MaxNameLength = 256;

    private readonly HashSet<string> _names;

    public ServiceAllowList(IEnumerable<string> names)
    {
        _names = new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<string> Names => _names.Order(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>The name as given if it is on the list, else a refusal naming <paramref name="field"/>.</summary>
    public string Check(string field, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            throw ProxyException.InvalidField(field, "is required");
        }
        if (name.Length > MaxNameLength || name.IndexOfAny(['\\', '/']) >= 0 || name.Any(char.IsControl))
        {
            throw ProxyException.InvalidField(field, "is not a valid service name");
        }
        if (!_names.Contains(name))
        {
            throw ProxyException.InvalidField(field, $"service \"{name}\" is not on the allowed list ({string.Join(", ", Names)})");
        }
        return name;
    }
}
