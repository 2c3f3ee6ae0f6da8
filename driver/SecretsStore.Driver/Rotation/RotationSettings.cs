namespace SecretsStore.Driver.Rotation;

/// <summary>The reconciler's part of the flags.</summary>
public sealed record RotationSettings(TimeSpan Interval, int MaxConcurrency, TimeSpan VolumeDeadline)
{
    public static RotationSettings From(DriverOptions options)
        // The provider's own deadline, plus room for the class read, tokens, status and secret sync.
        => new(options.RotationPollInterval, options.RotationMaxConcurrency, options.ProviderTimeout + TimeSpan.FromSeconds(30));
}
