namespace SecretsStore.Driver.Files;

/// <summary>What a write did: which files got new content, which kept their inode, which went away.</summary>
public sealed record AtomicWriteResult(IReadOnlyList<string> Written, IReadOnlyList<string> Kept, IReadOnlyList<string> Removed)
{
    public bool Changed => Written.Count > 0 || Removed.Count > 0;
}
