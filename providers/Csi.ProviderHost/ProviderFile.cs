namespace Csi.ProviderHost;

/// <summary>One file a provider returns: a relative path, its content and its mode.</summary>
public sealed record ProviderFile(string Path, ReadOnlyMemory<byte> Contents, int Mode)
{
    /// <summary>Never prints the content.</summary>
    public override string ToString() => $"ProviderFile {{ Path = {Path}, Mode = {Convert.ToString(Mode, 8)}, Length = {Contents.Length} }}";
}
