namespace SecretsStore.Driver.Publishing;

/// <summary>The part of the driver's options the publisher acts on.</summary>
public sealed record PublisherSettings(
    string NodeId,
    bool RotationEnabled,
    TimeSpan RotationPollInterval,
    TimeSpan ProviderTimeout,
    UnixFileMode TmpfsMode,
    string? StateDirectory = null)
{
    public static PublisherSettings From(DriverOptions options)
        => new(options.NodeId, options.EnableSecretRotation, options.RotationPollInterval, options.ProviderTimeout, options.TmpfsMode, options.StateDirectory.Length == 0 ? null : options.StateDirectory);
}
