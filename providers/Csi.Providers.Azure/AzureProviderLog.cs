using Microsoft.Extensions.Logging;

namespace Csi.Providers.Azure;

/// <summary>The provider's log lines: names, versions and modes only, never values or tokens.</summary>
internal static partial class AzureProviderLog
{
    [LoggerMessage(EventId = 200, EventName = "AzureMount", Level = LogLevel.Information,
        Message = "mounting {Count} objects from vault {VaultUri} for pod {PodNamespace}/{PodName} with identity {Identity}")]
    public static partial void Mounting(ILogger logger, int count, Uri vaultUri, string podNamespace, string podName, string identity);

    [LoggerMessage(EventId = 201, EventName = "AzureObjectFetched", Level = LogLevel.Debug,
        Message = "fetched {ObjectId} version {Version} into {Path}")]
    public static partial void Fetched(ILogger logger, string objectId, string version, string path);

    [LoggerMessage(EventId = 202, EventName = "AzureObjectFailed", Level = LogLevel.Warning,
        Message = "fetching {ObjectType} {ObjectName} from {VaultUri} failed: {Code}")]
    public static partial void FetchFailed(ILogger logger, string objectType, string objectName, Uri vaultUri, string code);
}
