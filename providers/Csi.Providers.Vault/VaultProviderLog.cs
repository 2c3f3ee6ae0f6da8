using Microsoft.Extensions.Logging;

namespace Csi.Providers.Vault;

/// <summary>The provider's log lines: names, paths, counts and Vault's warnings; never tokens or secret values.</summary>
internal static partial class VaultProviderLog
{
    [LoggerMessage(EventId = 100, EventName = "VaultLogin", Level = LogLevel.Information,
        Message = "logged in to Vault at {Address} with role {Role} (auth/{Mount}) for pod {PodNamespace}/{PodName}; token lease {LeaseSeconds} s")]
    public static partial void LoggedIn(ILogger logger, string address, string role, string mount, string podNamespace, string podName, long leaseSeconds);

    [LoggerMessage(EventId = 101, EventName = "VaultRelogin", Level = LogLevel.Information,
        Message = "Vault refused the cached token of pod {PodNamespace}/{PodName} for {Method} {Path}; logging in again")]
    public static partial void Relogin(ILogger logger, string podNamespace, string podName, string method, string path);

    [LoggerMessage(EventId = 102, EventName = "VaultRetry", Level = LogLevel.Warning,
        Message = "{Method} {Path} failed ({Reason}); retry {Retry} of {MaxRetries} in {WaitMs} ms")]
    public static partial void Retrying(ILogger logger, string method, string path, int retry, int maxRetries, string reason, long waitMs);

    [LoggerMessage(EventId = 103, EventName = "VaultWarning", Level = LogLevel.Warning,
        Message = "Warning in response from Vault API for {Method} {Path}: {Warning}")]
    public static partial void VaultWarning(ILogger logger, string method, string path, string warning);

    [LoggerMessage(EventId = 104, EventName = "IgnoredKey", Level = LogLevel.Warning,
        Message = "{Where}: \"{Key}\" is not a setting of the Vault provider; ignored")]
    public static partial void IgnoredKey(ILogger logger, string where, string key);

    [LoggerMessage(EventId = 105, EventName = "ObjectFetched", Level = LogLevel.Debug,
        Message = "secret added to mount response: object {ObjectName} from {Method} {Path}, mode {Mode}, for pod {PodNamespace}/{PodName}")]
    public static partial void ObjectFetched(ILogger logger, string objectName, string method, string path, string mode, string podNamespace, string podName);
}
