using Amazon;
using Amazon.Runtime;

namespace Csi.Providers.Aws.Credentials;

/// <summary>
/// Points an SDK client at a region: the configured endpoint override (signing region still the region, so that
/// requests are scoped to it), else the region's AWS endpoint, FIPS when AWS_USE_FIPS_ENDPOINT says so.
/// </summary>
internal static class AwsClientConfigs
{
    public static T For<T>(T config, AwsEnvironment environment, string service, string region, string appId)
        where T : ClientConfig
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        // The provider resolves endpoints itself, from the same variables, so the SDK must not apply them twice.
        config.IgnoreConfiguredEndpointUrls = true;
        config.ClientAppId = appId;
        config.MaxErrorRetry = 2;
        config.Timeout = TimeSpan.FromSeconds(30);
        var endpoint = environment.EndpointFor(service);
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
            config.UseFIPSEndpoint = environment.UseFips;
        }
        return config;
    }
}
