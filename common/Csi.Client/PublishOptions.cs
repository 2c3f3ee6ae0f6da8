using Csi.V1;

namespace Csi.Client;

/// <summary>What kubelet knows when it publishes an inline ephemeral volume.</summary>
public sealed record PublishOptions
{
    public required string VolumeId { get; init; }

    public required string TargetPath { get; init; }

    public bool Readonly { get; init; }

    public string? FsType { get; init; }

    public IReadOnlyList<string> MountFlags { get; init; } = [];

    public VolumeCapability.Types.AccessMode.Types.Mode AccessMode { get; init; } =
        VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter;

    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    public string? PodName { get; init; }

    public string? PodNamespace { get; init; }

    public string? PodUid { get; init; }

    public string? ServiceAccountName { get; init; }

    /// <summary>Service account tokens by audience.</summary>
    public IReadOnlyDictionary<string, string> Tokens { get; init; } = new Dictionary<string, string>();

    /// <summary>Expiry written next to each token; one hour from now when unset.</summary>
    public DateTimeOffset? TokenExpiration { get; init; }

    public bool TokensInSecrets { get; init; }
}
