namespace SecretsStore.Driver.Files;

/// <summary>The points between which a write can be interrupted; each leaves the volume readable.</summary>
public enum AtomicWriteStep
{
    /// <summary>The new payload directory is complete; "..data" still names the old one.</summary>
    PayloadWritten,

    /// <summary>"..data" names the new payload; user-visible links are not yet updated.</summary>
    DataSwapped,

    /// <summary>User-visible links are updated; the old payload directory is not yet removed.</summary>
    LinksUpdated,
}
