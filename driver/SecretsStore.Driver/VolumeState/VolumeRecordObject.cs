namespace SecretsStore.Driver.VolumeState;

/// <summary>One object version held by a volume, as the provider reported it.</summary>
public sealed class VolumeRecordObject
{
    public string Id { get; set; } = string.Empty;

    public string Version { get; set; } = string.Empty;
}
