namespace Csi.Providers.Azure;

/// <summary>One version of an object as a version listing reports it.</summary>
internal sealed record KeyVaultObjectVersion(string Version, bool Enabled, DateTimeOffset Created)
{
    /// <summary>The version of an object id URL: its last path segment.</summary>
    public static string LastSegment(string id) => id.TrimEnd('/')[(id.TrimEnd('/').LastIndexOf('/') + 1)..];
}
