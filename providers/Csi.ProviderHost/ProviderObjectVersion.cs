namespace Csi.ProviderHost;

/// <summary>An object's id (e.g. "secret/db-password") and the version fetched.</summary>
public sealed record ProviderObjectVersion(string Id, string Version);
