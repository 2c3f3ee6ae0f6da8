namespace Csi.ProviderHost;

/// <summary>What a provider fetched: the volume's files and a version per object.</summary>
public sealed record MountResult(IReadOnlyList<ProviderFile> Files, IReadOnlyList<ProviderObjectVersion> ObjectVersions);
