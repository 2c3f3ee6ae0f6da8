using System.Diagnostics;
using System.Globalization;
using System.Net;
using Amazon.Runtime;
using Csi.ProviderHost;
using Csi.Providers.Aws.ParameterStore;
using Microsoft.Extensions.Logging;

namespace Csi.Providers.Aws;

/// <summary>
/// Fetches SSM parameters in batches of 10 (GetParameters, WithDecryption, "name:version" or "name:label"), each
/// batch from every region at once, keeping the batch the failover rules pick. Any name SSM reports invalid fails the
/// mount, naming the objects.
/// </summary>
internal sealed class ParameterStoreFetcher
{
    public const int BatchSize = 10;

    private readonly IReadOnlyList<RegionalClient<IParameterStoreApi>> _regions;
    private readonly MountContext _context;
    private readonly ILogger _logger;

    public ParameterStoreFetcher(IReadOnlyList<RegionalClient<IParameterStoreApi>> regions, MountContext context, ILogger logger)
    {
        _regions = regions;
        _context = context;
        _logger = logger;
    }

    public static IReadOnlyList<IReadOnlyList<SecretDescriptor>> Batches(IEnumerable<SecretDescriptor> descriptors) =>
        descriptors.Chunk(BatchSize).Select(batch => (IReadOnlyList<SecretDescriptor>)batch).ToList();

    /// <summary>The name GetParameters is asked for: name, name:version or name:label.</summary>
    public static string Selector(SecretDescriptor descriptor, bool failoverRegion)
    {
        var version = descriptor.VersionIn(failoverRegion);
        var label = descriptor.LabelIn(failoverRegion);
        return version.Length > 0 ? ":" + version : label.Length > 0 ? ":" + label : string.Empty;
    }

    public async Task<IReadOnlyList<FetchedFile>> FetchAsync(IReadOnlyList<SecretDescriptor> batch, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcomes = await Task.WhenAll(_regions.Select(region =>
            RegionalOutcome<StoredParameter[]>.CaptureAsync(region.Region, () => FetchInAsync(region, batch, cancellationToken), cancellationToken))).ConfigureAwait(false);
        foreach (var tolerated in outcomes.Where(o => o.Failure is not null && !FailoverPolicy.IsFatal(o.Failure)))
        {
            var names = string.Join(", ", batch.Select(d => d.ObjectName));
            var code = AwsErrors.Code(tolerated.Failure!);
            AwsProviderLog.RegionFailed(_logger, tolerated.Region, names, code);
        }
        StoredParameter[] chosen;
        try
        {
            chosen = FailoverPolicy.Choose(outcomes, o => Failure(batch, o), $"{Labels(batch)}: Failed to fetch parameters from all regions");
        }
        catch (ProviderException e)
        {
            foreach (var _ in batch)
            {
                _context.RecordFetch("ssmparameter", e.ErrorCode, Stopwatch.GetElapsedTime(started));
            }
            throw;
        }
        var files = new List<FetchedFile>();
        var from = outcomes.First(o => ReferenceEquals(o.Value, chosen)).Region;
        for (var i = 0; i < batch.Count; i++)
        {
            var version = chosen[i].Version.ToString(CultureInfo.InvariantCulture);
            _context.RecordFetch("ssmparameter", "success", Stopwatch.GetElapsedTime(started));
            AwsProviderLog.Fetched(_logger, batch[i].ObjectName, from, version, batch[i].FileName);
            files.AddRange(ObjectFiles.Build(batch[i], System.Text.Encoding.UTF8.GetBytes(chosen[i].Value), version, _context.DefaultFileMode));
        }
        return files;
    }

    /// <summary>The batch's parameters in the batch's order.</summary>
    private static async Task<StoredParameter[]> FetchInAsync(RegionalClient<IParameterStoreApi> region, IReadOnlyList<SecretDescriptor> batch, CancellationToken cancellationToken)
    {
        var api = await region.ConnectAsync().ConfigureAwait(false);
        var names = batch.Select(d => d.NameIn(region.IsFailover) + Selector(d, region.IsFailover)).ToList();
        var answer = await api.GetParametersAsync(names, cancellationToken).ConfigureAwait(false);
        if (answer.InvalidParameters.Count > 0)
        {
            throw new InvalidParametersException(region.Region, [.. answer.InvalidParameters.Distinct(StringComparer.Ordinal)]);
        }

        var unused = answer.Parameters.ToList();
        var result = new StoredParameter[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var name = batch[i].NameIn(region.IsFailover);
            var selector = Selector(batch[i], region.IsFailover);
            bool Named(StoredParameter p) => p.Name == name || p.Arn == name;
            var match = unused.FirstOrDefault(p => Named(p) && (p.Selector ?? string.Empty) == selector)
                ?? unused.FirstOrDefault(p => Named(p) && string.IsNullOrEmpty(p.Selector))
                ?? unused.FirstOrDefault(Named)
                ?? throw new AmazonServiceException($"GetParameters did not return {name}{selector}", null, ErrorType.Receiver, "IncompleteResponse", null, HttpStatusCode.InternalServerError);
            unused.Remove(match);
            result[i] = match;
        }
        return result;
    }

    private ProviderException Failure(IReadOnlyList<SecretDescriptor> batch, RegionalOutcome<StoredParameter[]> outcome)
    {
        var failure = outcome.Failure!;
        if (failure is ProviderException provider)
        {
            return new ProviderException(provider.Kind, provider.ErrorCode, $"{Labels(batch)}: {provider.Message}");
        }
        if (failure is InvalidParametersException invalid)
        {
            var failover = outcome.Region != _regions[0].Region;
            var named = batch.Where(d => invalid.Names.Contains(d.NameIn(failover) + Selector(d, failover), StringComparer.Ordinal)).ToList();
            return new ProviderException(ProviderErrorKind.NotFound, "NotFound",
                $"{(named.Count > 0 ? Labels(named) : Labels(batch))}: {outcome.Region}: Failed fetching parameters: {outcome.Region}: invalid parameters: {string.Join(", ", invalid.Names)}; {AwsErrors.Fix(invalid, AwsObjectType.SsmParameter, outcome.Region)}");
        }
        var status = AwsErrors.StatusFor(failure);
        return new ProviderException(status, status.ToString(),
            $"{Labels(batch)}: {outcome.Region}: Failed fetching parameters: {AwsErrors.Describe(failure)}; {AwsErrors.Fix(failure, AwsObjectType.SsmParameter, outcome.Region)}");
    }

    private static string Labels(IEnumerable<SecretDescriptor> descriptors) => string.Join(", ", descriptors.Select(d => d.Label));
}
