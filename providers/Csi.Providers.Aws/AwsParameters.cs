using Csi.Common.Flags;
using Csi.ProviderHost;

namespace Csi.Providers.Aws;

/// <summary>The SecretProviderClass parameters other than objects, read as upstream reads them.</summary>
internal sealed record AwsParameters(string Region, string FailoverRegion, PathTranslation Translation, bool UsePodIdentity, string PreferredAddressType, string Objects)
{
    public const string RegionKey = "region";
    public const string FailoverRegionKey = "failoverRegion";
    public const string UsePodIdentityKey = "usePodIdentity";
    public const string PreferredAddressTypeKey = "preferredAddressType";
    public const string ObjectsKey = "objects";

    public static AwsParameters Parse(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        string Get(string key) => parameters.TryGetValue(key, out var value) ? value : string.Empty;

        var translation = PathTranslation.Parse(Get(PathTranslation.Parameter));
        var podIdentityText = Get(UsePodIdentityKey);
        var usePodIdentity = false;
        if (podIdentityText.Length > 0 && !GoBool.TryParse(podIdentityText, out usePodIdentity))
        {
            throw ProviderException.InvalidParameter(
                $"{UsePodIdentityKey}: failed to parse usePodIdentity value, error: strconv.ParseBool: parsing \"{podIdentityText}\": invalid syntax; use \"true\" (EKS Pod Identity) or \"false\" (IRSA)");
        }
        return new AwsParameters(Get(RegionKey), Get(FailoverRegionKey), translation, usePodIdentity, Get(PreferredAddressTypeKey), Get(ObjectsKey));
    }

    /// <summary>True for "", auto, ipv4 and ipv6 in any case; upstream treats anything else as auto.</summary>
    public bool KnownAddressType => PreferredAddressType.ToLowerInvariant() is "" or "auto" or "ipv4" or "ipv6";
}
