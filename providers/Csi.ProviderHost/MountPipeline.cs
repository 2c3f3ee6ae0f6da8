using System.Diagnostics;
using Csi.Common.Files;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SecretsStore.Provider.V1Alpha1;

namespace Csi.ProviderHost;

/// <summary>
/// The Mount path every provider shares: parse, hand the provider a typed request, check what it returns
/// (paths, modes, duplicates, a version per object), and turn every failure into a <see cref="ProviderException"/>
/// that says what to fix; the gRPC service maps it to a status.
/// </summary>
public sealed class MountPipeline
{
    private readonly SecretsProvider _provider;
    private readonly ProviderMetrics _metrics;
    private readonly ILogger _logger;
    private readonly int _maxConcurrency;

    public MountPipeline(SecretsProvider provider, ProviderMetrics metrics, ILogger<MountPipeline> logger, int maxConcurrency = 10)
    {
        _provider = provider;
        _metrics = metrics;
        _logger = logger;
        _maxConcurrency = maxConcurrency;
    }

    public async Task<MountResponse> MountAsync(MountRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var pod = new PodInfo(string.Empty, string.Empty, string.Empty, string.Empty);
        try
        {
            var context = MountRequestParser.Parse(request, _maxConcurrency, _provider.Name, _metrics);
            pod = context.Pod;
            var result = await _provider.MountAsync(context, cancellationToken).ConfigureAwait(false);
            var response = ToResponse(result);
            var elapsed = Stopwatch.GetElapsedTime(started);
            _metrics.RecordMount(_provider.Name, "success", elapsed);
            var elapsedMs = (long)elapsed.TotalMilliseconds;
            ProviderHostLog.Mounted(_logger, response.Files.Count, response.ObjectVersion.Count, pod.Namespace, pod.Name, elapsedMs);
            return response;
        }
        catch (ProviderException e)
        {
            _metrics.RecordMount(_provider.Name, e.ErrorCode, Stopwatch.GetElapsedTime(started));
            ProviderHostLog.MountFailed(_logger, pod.Namespace, pod.Name, e.ErrorCode, e.Message);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _metrics.RecordMount(_provider.Name, "Cancelled", Stopwatch.GetElapsedTime(started));
            throw new ProviderException(ProviderErrorKind.Cancelled, "Cancelled", "the driver cancelled the mount (deadline or shutdown)");
        }
        catch (Exception e) when (e is not ProviderException)
        {
            // An unexpected exception's message may carry anything; only its type goes out.
            _metrics.RecordMount(_provider.Name, "Internal", Stopwatch.GetElapsedTime(started));
            ProviderHostLog.MountCrashed(_logger, pod.Namespace, pod.Name, e.GetType().Name);
            throw new ProviderException(ProviderErrorKind.Internal, "Internal", $"provider {_provider.Name} failed unexpectedly ({e.GetType().Name}); see its log");
        }
    }

    private static MountResponse ToResponse(MountResult result)
    {
        var problem = FilePathRules.Check(result.Files.Select(f => (f.Path, f.Mode)));
        if (problem is not null)
        {
            throw new ProviderException(ProviderErrorKind.InvalidArgument, "InvalidFilePath", problem + "; check objectAlias/objectName and filePermission in the SecretProviderClass");
        }
        if (result.ObjectVersions.Count == 0)
        {
            throw new ProviderException(ProviderErrorKind.InvalidArgument, "NoObjects", "the SecretProviderClass names no objects; list them in parameters.objects");
        }
        var duplicate = result.ObjectVersions.GroupBy(v => v.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ProviderException(ProviderErrorKind.InvalidArgument, "DuplicateObject", $"object \"{duplicate.Key}\" is listed more than once; give each object a distinct name or alias");
        }

        var response = new MountResponse();
        foreach (var file in result.Files)
        {
            response.Files.Add(new SecretsStore.Provider.V1Alpha1.File { Path = file.Path, Mode = file.Mode, Contents = ByteString.CopyFrom(file.Contents.Span) });
        }
        foreach (var version in result.ObjectVersions)
        {
            response.ObjectVersion.Add(new ObjectVersion { Id = version.Id, Version = version.Version });
        }
        return response;
    }
}
