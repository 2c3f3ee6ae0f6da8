namespace Csi.Providers.Aws;

/// <summary>
/// One entry of <c>objects</c>, checked: what to fetch, from which service, which version, and where it goes.
/// <see cref="Index"/> and <see cref="ObjectName"/> name it in every error.
/// </summary>
internal sealed record SecretDescriptor
{
    public required int Index { get; init; }

    public required string ObjectName { get; init; }

    public required AwsObjectType Type { get; init; }

    public string ObjectAlias { get; init; } = string.Empty;

    public string ObjectVersion { get; init; } = string.Empty;

    public string ObjectVersionLabel { get; init; } = string.Empty;

    /// <summary>The file name after path translation; also the object version id.</summary>
    public required string FileName { get; init; }

    /// <summary>The file mode from <c>filePermission</c>; null means the mount's default.</summary>
    public int? Mode { get; init; }

    public IReadOnlyList<JmesPathEntry> JmesPath { get; init; } = [];

    public FailoverObject? Failover { get; init; }

    /// <summary>How errors name the object: its index and name.</summary>
    public string Label => $"objects[{Index}] (objectName \"{ObjectName}\")";

    public string NameIn(bool failoverRegion) =>
        failoverRegion && Failover is { ObjectName.Length: > 0 } failover ? failover.ObjectName : ObjectName;

    public string VersionIn(bool failoverRegion) =>
        failoverRegion && Failover is { ObjectVersion.Length: > 0 } failover ? failover.ObjectVersion : ObjectVersion;

    public string LabelIn(bool failoverRegion) =>
        failoverRegion && Failover is { ObjectVersionLabel.Length: > 0 } failover ? failover.ObjectVersionLabel : ObjectVersionLabel;
}
