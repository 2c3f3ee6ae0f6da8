using Csi.ProviderHost;

namespace Csi.Providers.Aws;

/// <summary>An object's value as files: its own, then one per jmesPath entry, each reporting the object's version.</summary>
internal static class ObjectFiles
{
    public static IReadOnlyList<FetchedFile> Build(SecretDescriptor descriptor, byte[] value, string version, int defaultMode)
    {
        IReadOnlyList<byte[]> extracted;
        try
        {
            extracted = JmesPathExtractor.Extract(value, descriptor.JmesPath, descriptor.ObjectName);
        }
        catch (JmesPathException e)
        {
            throw new ProviderException(ProviderErrorKind.InvalidArgument, "InvalidJmesPath",
                $"{descriptor.Label}: jmesPath: {e.Message} The value must be a JSON object and each path must select a string; check the paths or remove jmesPath");
        }
        var mode = descriptor.Mode ?? defaultMode;
        var files = new List<FetchedFile>(1 + extracted.Count)
        {
            new(descriptor.Index, new ProviderFile(descriptor.FileName, value, mode), new ProviderObjectVersion(descriptor.FileName, version)),
        };
        for (var i = 0; i < extracted.Count; i++)
        {
            var entry = descriptor.JmesPath[i];
            files.Add(new FetchedFile(descriptor.Index, new ProviderFile(entry.FileName, extracted[i], entry.Mode ?? mode), new ProviderObjectVersion(entry.FileName, version)));
        }
        return files;
    }
}
