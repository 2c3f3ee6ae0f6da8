using Csi.ProviderHost;

namespace Csi.Providers.Aws.Tests.Unit;

/// <summary>Parses an objects parameter the way a mount does.</summary>
internal static class Descriptors
{
    public static IReadOnlyList<SecretDescriptor> Parse(string yaml, string? translation = null, params string[] regions) =>
        SecretDescriptorParser.Parse(yaml, PathTranslation.Parse(translation), regions.Length == 0 ? ["us-east-1"] : regions);

    /// <summary>Asserts an InvalidArgument whose message contains every fragment; returns the message.</summary>
    public static string Fails(string yaml, string[] fragments, string? translation = null, params string[] regions)
    {
        var e = Assert.Throws<ProviderException>(() => Parse(yaml, translation, regions));
        Assert.Equal(ProviderErrorKind.InvalidArgument, e.Kind);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        }
        return e.Message;
    }
}
