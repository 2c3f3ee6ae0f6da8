using Csi.ProviderHost;

namespace Csi.Providers.Aws;

/// <summary>
/// Upstream's failover rules over the outcomes of every region (primary first): a client fault (4xx, a refused
/// credential, a missing object) anywhere ends the mount; otherwise the primary's value wins, then the failover's;
/// when every region failed the mount fails with each region's reason.
/// </summary>
internal static class FailoverPolicy
{
    /// <summary>True when no other region can make up for the failure.</summary>
    public static bool IsFatal(Exception failure) => failure switch
    {
        RegionalFailure { InnerException: { } inner } => IsFatal(inner),
        ProviderException p => p.Kind is not (ProviderErrorKind.Unavailable or ProviderErrorKind.ResourceExhausted),
        JmesPathException => true,
        _ => AwsErrors.IsClientFault(failure),
    };

    /// <summary>
    /// The value to use. <paramref name="failed"/> turns a region's failure into the mount error (naming the object);
    /// it is called for the first fatal failure, or for the only failure, or for each when all failed.
    /// </summary>
    public static T Choose<T>(IReadOnlyList<RegionalOutcome<T>> outcomes, Func<RegionalOutcome<T>, ProviderException> failed, string allFailedMessage)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(failed);
        var fatal = outcomes.FirstOrDefault(o => o.Failure is not null && IsFatal(o.Failure));
        if (fatal is not null)
        {
            throw failed(fatal);
        }
        var chosen = outcomes.FirstOrDefault(o => o.Value is not null);
        if (chosen is not null)
        {
            return chosen.Value!;
        }
        var errors = outcomes.Where(o => o.Failure is not null).Select(failed).ToList();
        if (errors.Count == 1)
        {
            throw errors[0];
        }
        throw new ProviderException(errors.Count > 0 ? errors[0].Kind : ProviderErrorKind.Unavailable, errors.Count > 0 ? errors[0].ErrorCode : "FetchFailed",
            $"{allFailedMessage}: {string.Join(" | ", errors.Select(e => e.Message))}");
    }
}
