namespace SecretsStore.Driver.Files;

/// <summary>One file of a volume's content: a relative path, its bytes and its mode.</summary>
public sealed record PayloadFile(string Path, ReadOnlyMemory<byte> Contents, int Mode);
