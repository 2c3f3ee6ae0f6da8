namespace LocalVolume.Driver.Volumes;

/// <summary>Where a volume or snapshot is in its life; the phases between steps are what a restart repairs.</summary>
public enum RecordPhase
{
    /// <summary>Reserved and recorded; its storage may be missing or half made. A restart removes it.</summary>
    Creating,

    /// <summary>Made and usable.</summary>
    Ready,

    /// <summary>Deletion has begun; a restart finishes it.</summary>
    Deleting,
}
