namespace Csi.Providers.Aws;

/// <summary>One <c>jmesPath</c> entry: a string inside a JSON value, written to its own file.</summary>
internal sealed record JmesPathEntry(string Path, string ObjectAlias, string FilePermission)
{
    /// <summary>The file name after path translation.</summary>
    public string FileName { get; init; } = ObjectAlias;

    /// <summary>The file mode; null means the object's mode.</summary>
    public int? Mode { get; init; }
}
