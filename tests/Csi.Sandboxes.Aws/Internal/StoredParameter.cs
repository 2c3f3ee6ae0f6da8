namespace Csi.Sandboxes.Aws.Internal;

/// <summary>An SSM parameter: its type and its numbered versions with their labels.</summary>
internal sealed class StoredParameter(string name, string arn)
{
    public string Name { get; } = name;

    public string Arn { get; } = arn;

    public string Type { get; set; } = "String";

    public List<ParameterVersion> Versions { get; } = [];

    public ParameterVersion Latest => Versions[^1];

    public ParameterVersion? ByVersion(long version) => Versions.FirstOrDefault(v => v.Version == version);

    public ParameterVersion? ByLabel(string label) => Versions.FirstOrDefault(v => v.Labels.Contains(label));
}

/// <summary>One version of a parameter.</summary>
internal sealed class ParameterVersion(long version, string value, string type, DateTimeOffset modified)
{
    public long Version { get; } = version;

    public string Value { get; } = value;

    public string Type { get; } = type;

    public DateTimeOffset LastModified { get; } = modified;

    public List<string> Labels { get; } = [];
}
