using Amazon.Runtime;

namespace Csi.Providers.Aws.Credentials;

/// <summary>Temporary credentials and when they stop working.</summary>
internal sealed record CachedCredentials(ImmutableCredentials Credentials, DateTimeOffset Expiration)
{
    public override string ToString() => $"CachedCredentials {{ Expiration = {Expiration:O} }}";
}
