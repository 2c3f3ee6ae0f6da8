using System.Diagnostics;
using Csi.ProviderHost;
using Csi.Providers.Aws.SecretsManager;
using Microsoft.Extensions.Logging;

namespace Csi.Providers.Aws;

/// <summary>
/// Fetches one Secrets Manager object from every region at once and keeps the value the failover rules pick. On a
/// rotation (the driver reports the version mounted now) an object whose mounted version still carries the wanted
/// stage, or equals its pinned objectVersion, is re-read from the volume instead of fetched.
/// </summary>
internal sealed class SecretsManagerFetcher
{
    public const string DefaultStage = "AWSCURRENT";

    private readonly IReadOnlyList<RegionalClient<ISecretsManagerApi>> _regions;
    private readonly MountContext _context;
    private readonly ILogger _logger;

    public SecretsManagerFetcher(IReadOnlyList<RegionalClient<ISecretsManagerApi>> regions, MountContext context, ILogger logger)
    {
        _regions = regions;
        _context = context;
        _logger = logger;
    }

    public async Task<IReadOnlyList<FetchedFile>> FetchAsync(SecretDescriptor descriptor, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcomes = await Task.WhenAll(_regions.Select(region =>
            RegionalOutcome<SecretValue>.CaptureAsync(region.Region, () => FetchInAsync(region, descriptor, cancellationToken), cancellationToken))).ConfigureAwait(false);
        foreach (var tolerated in outcomes.Where(o => o.Failure is not null && !FailoverPolicy.IsFatal(o.Failure)))
        {
            var code = tolerated.Failure is ProviderException p ? p.ErrorCode : AwsErrors.Code(tolerated.Failure!);
            AwsProviderLog.RegionFailed(_logger, tolerated.Region, descriptor.ObjectName, code);
        }
        SecretValue chosen;
        try
        {
            chosen = FailoverPolicy.Choose(outcomes, o => Failure(descriptor, o), $"{descriptor.Label}: Failed to fetch secret from all regions. Verify secret exists and required permissions are granted for: {descriptor.ObjectName}");
        }
        catch (ProviderException e)
        {
            _context.RecordFetch("secretsmanager", e.ErrorCode, Stopwatch.GetElapsedTime(started));
            throw;
        }
        _context.RecordFetch("secretsmanager", chosen.Reused ? "unchanged" : "success", Stopwatch.GetElapsedTime(started));
        if (chosen.Reused)
        {
            AwsProviderLog.Unchanged(_logger, descriptor.ObjectName, chosen.Region, chosen.VersionId);
        }
        else
        {
            AwsProviderLog.Fetched(_logger, descriptor.ObjectName, chosen.Region, chosen.VersionId, descriptor.FileName);
        }
        return ObjectFiles.Build(descriptor, chosen.Value, chosen.VersionId, _context.DefaultFileMode);
    }

    private async Task<SecretValue> FetchInAsync(RegionalClient<ISecretsManagerApi> region, SecretDescriptor descriptor, CancellationToken cancellationToken)
    {
        var api = await region.ConnectAsync().ConfigureAwait(false);
        var name = descriptor.NameIn(region.IsFailover);
        var version = descriptor.VersionIn(region.IsFailover);
        var stage = descriptor.LabelIn(region.IsFailover);

        if (_context.CurrentObjectVersions.TryGetValue(descriptor.FileName, out var current) && current.Length > 0)
        {
            bool unchanged;
            if (version.Length > 0)
            {
                unchanged = current == version;
            }
            else
            {
                DescribeSecretResponse description;
                try
                {
                    description = await api.DescribeSecretAsync(name, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    throw new RegionalFailure("describe secret", e);
                }
                unchanged = description.HasStage(current, stage.Length > 0 ? stage : DefaultStage);
            }
            if (unchanged && _context.ReadCurrentFile(descriptor.FileName) is { } mounted)
            {
                return new SecretValue(region.Region, current, mounted, Reused: true);
            }
        }

        GetSecretValueResponse response;
        try
        {
            response = await api.GetSecretValueAsync(new GetSecretValueRequest
            {
                SecretId = name,
                VersionId = version.Length > 0 ? version : null,
                VersionStage = stage.Length > 0 ? stage : null,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new RegionalFailure("fetching secret", e);
        }
        return new SecretValue(region.Region, response.VersionId ?? string.Empty, response.Value(), Reused: false);
    }

    private ProviderException Failure(SecretDescriptor descriptor, RegionalOutcome<SecretValue> outcome)
    {
        var (step, failure) = outcome.Failure is RegionalFailure r ? (r.Step, r.InnerException!) : ("fetching secret", outcome.Failure!);
        if (failure is ProviderException provider)
        {
            return new ProviderException(provider.Kind, provider.ErrorCode, $"{descriptor.Label}: {provider.Message}");
        }
        var verb = step == "describe secret" ? "Failed to describe secret" : "Failed fetching secret";
        var status = AwsErrors.StatusFor(failure);
        return new ProviderException(status, status.ToString(),
            $"{descriptor.Label}: {outcome.Region}: {verb} {descriptor.NameIn(outcome.Region != _regions[0].Region)}: {AwsErrors.Describe(failure)}; {AwsErrors.Fix(failure, AwsObjectType.SecretsManager, outcome.Region)}");
    }

    /// <summary>A value and where it came from; never printed.</summary>
    private sealed record SecretValue(string Region, string VersionId, byte[] Value, bool Reused)
    {
        public override string ToString() => $"SecretValue {{ Region = {Region}, VersionId = {VersionId}, Reused = {Reused} }}";
    }
}
