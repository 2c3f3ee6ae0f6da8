using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace CsiProxy.Win.Server;

internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "csi-proxy {Version} serving {Group} on {Listener}")]
    public static partial void Serving(ILogger logger, string version, ApiGroup group, string listener);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Paths allowed inside: {Roots}; SMB privacy required: {RequirePrivacy}; services allowed: {Services}")]
    public static partial void Settings(ILogger logger, IReadOnlyList<string> roots, bool requirePrivacy, IReadOnlyList<string> services);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Metrics on http://{EndPoint}/metrics")]
    public static partial void Metrics(ILogger logger, System.Net.IPEndPoint endPoint);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "{Method}: {Code} in {Milliseconds:0.0} ms")]
    public static partial void CallHandled(ILogger logger, string method, StatusCode code, double milliseconds);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "{Method}: {Code}: {Detail}")]
    public static partial void CallFailed(ILogger logger, string method, StatusCode code, string detail);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "{Path}: refused on listener {Listener}, which serves another group")]
    public static partial void WrongListener(ILogger logger, string path, string listener);
}
