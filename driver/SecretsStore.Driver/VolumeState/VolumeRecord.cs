namespace SecretsStore.Driver.VolumeState;

/// <summary>
/// What the driver keeps about one published volume so that a restarted driver knows it: who mounted it, from
/// which class and provider, when it last fetched and which object versions it holds. Never a secret, a token
/// (the tokens key of the volume attributes is left out) or file content.
/// </summary>
public sealed class VolumeRecord
{
    public int SchemaVersion { get; set; } = 1;

    public string TargetPath { get; set; } = string.Empty;

    public string VolumeId { get; set; } = string.Empty;

    public string PodName { get; set; } = string.Empty;

    public string PodNamespace { get; set; } = string.Empty;

    public string PodUid { get; set; } = string.Empty;

    public string ServiceAccountName { get; set; } = string.Empty;

    public string SecretProviderClass { get; set; } = string.Empty;

    public string Provider { get; set; } = string.Empty;

    /// <summary>Whether kubelet passed nodePublishSecretRef content (never stored): such a volume waits for kubelet's republish after a restart.</summary>
    public bool HasNodePublishSecrets { get; set; }

    public Dictionary<string, string> VolumeAttributes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Wall time of the last successful fetch: after a restart only a hint, capped by the rotation interval.</summary>
    public DateTimeOffset LastFetch { get; set; }

    public List<VolumeRecordObject> Objects { get; set; } = [];
}
