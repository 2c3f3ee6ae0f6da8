namespace Csi.Sandboxes.Aws.Internal;

/// <summary>A Secrets Manager secret: its versions and which staging labels point where.</summary>
internal sealed class StoredSecret(string name, string arn, DateTimeOffset created)
{
    public string Name { get; } = name;

    public string Arn { get; } = arn;

    public DateTimeOffset Created { get; } = created;

    public DateTimeOffset LastChanged { get; set; } = created;

    public DateTimeOffset? Deleted { get; set; }

    /// <summary>Versions in the order they were put.</summary>
    public List<SecretVersion> Versions { get; } = [];

    public SecretVersion? ByStage(string stage) => Versions.FirstOrDefault(v => v.Stages.Contains(stage));

    public SecretVersion? ById(string versionId) => Versions.FirstOrDefault(v => string.Equals(v.VersionId, versionId, StringComparison.Ordinal));

    /// <summary>
    /// Attaches <paramref name="stage"/> to <paramref name="target"/>, detaching it from whichever version held it; moving
    /// <c>AWSCURRENT</c> moves <c>AWSPREVIOUS</c> to the version that lost it, as UpdateSecretVersionStage does.
    /// </summary>
    public void MoveStage(string stage, SecretVersion target)
    {
        var holder = ByStage(stage);
        if (ReferenceEquals(holder, target))
        {
            return;
        }

        holder?.Stages.Remove(stage);
        target.Stages.Add(stage);
        if (stage == SandboxRegion.CurrentStage && holder is not null)
        {
            MoveStage(SandboxRegion.PreviousStage, holder);
        }
    }
}

/// <summary>One version of a secret: a string or a binary value and its staging labels.</summary>
internal sealed class SecretVersion(string versionId, DateTimeOffset created, string? secretString, byte[]? secretBinary)
{
    public string VersionId { get; } = versionId;

    public DateTimeOffset Created { get; } = created;

    public string? SecretString { get; } = secretString;

    public byte[]? SecretBinary { get; } = secretBinary;

    /// <summary>Staging labels in attachment order.</summary>
    public List<string> Stages { get; } = [];
}
