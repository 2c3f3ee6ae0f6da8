using Microsoft.Extensions.Logging;

namespace Csi.Providers.Aws;

/// <summary>The provider's log lines: object names, regions, versions and identities, never values, tokens or keys.</summary>
internal static partial class AwsProviderLog
{
    [LoggerMessage(EventId = 300, EventName = "AwsMount", Level = LogLevel.Information,
        Message = "Servicing mount request for pod {PodNamespace}/{PodName} using {Identity} with region(s) {Regions}: {Count} objects")]
    public static partial void Mounting(ILogger logger, string podNamespace, string podName, string identity, string regions, int count);

    [LoggerMessage(EventId = 301, EventName = "AwsObjectFetched", Level = LogLevel.Debug,
        Message = "fetched {ObjectName} from {Region} version {Version} into {Path}")]
    public static partial void Fetched(ILogger logger, string objectName, string region, string version, string path);

    [LoggerMessage(EventId = 302, EventName = "AwsObjectUnchanged", Level = LogLevel.Debug,
        Message = "{ObjectName} in {Region} is still version {Version}; re-using the mounted file")]
    public static partial void Unchanged(ILogger logger, string objectName, string region, string version);

    [LoggerMessage(EventId = 303, EventName = "AwsRegionFailed", Level = LogLevel.Warning,
        Message = "{Region} failed for {ObjectName} ({Code}); using the other region's answer")]
    public static partial void RegionFailed(ILogger logger, string region, string objectName, string code);

    [LoggerMessage(EventId = 304, EventName = "AwsRoleArn", Level = LogLevel.Debug,
        Message = "Role ARN for {PodNamespace}:{ServiceAccount} is {RoleArn}")]
    public static partial void RoleArn(ILogger logger, string podNamespace, string serviceAccount, string roleArn);

    [LoggerMessage(EventId = 305, EventName = "AwsAddressType", Level = LogLevel.Warning,
        Message = "preferredAddressType \"{Value}\" is not ipv4, ipv6 or auto; trying IPv4 then IPv6 as upstream does")]
    public static partial void UnknownAddressType(ILogger logger, string value);

    [LoggerMessage(EventId = 306, EventName = "AwsRegionFromNode", Level = LogLevel.Debug,
        Message = "region {Region} from node {Node} of pod {PodNamespace}/{PodName}")]
    public static partial void RegionFromNode(ILogger logger, string region, string node, string podNamespace, string podName);
}
