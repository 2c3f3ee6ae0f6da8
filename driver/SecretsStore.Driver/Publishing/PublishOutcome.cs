namespace SecretsStore.Driver.Publishing;

/// <summary>What a successful NodePublishVolume did.</summary>
public enum PublishOutcome
{
    /// <summary>First publish: tmpfs mounted and files written.</summary>
    Mounted,

    /// <summary>Already mounted, and rotation is off or not due: nothing was called or written.</summary>
    AlreadyMounted,

    /// <summary>A republish that fetched again; files were rewritten only where they changed.</summary>
    Rotated,

    /// <summary>A republish whose fetch failed; the last good content stays mounted.</summary>
    RotationFailed,

    /// <summary>A republish whose fetch an unpublish of the same volume cancelled; its result was discarded.</summary>
    RotationCancelled,
}
