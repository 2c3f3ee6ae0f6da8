namespace Csi.Providers.Aws;

/// <summary>What one region answered for an object or a batch: a value, or the failure.</summary>
internal sealed record RegionalOutcome<T>(string Region, T? Value, Exception? Failure)
    where T : class
{
    public static async Task<RegionalOutcome<T>> CaptureAsync(string region, Func<Task<T>> fetch, CancellationToken cancellationToken)
    {
        try
        {
            return new RegionalOutcome<T>(region, await fetch().ConfigureAwait(false), null);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return new RegionalOutcome<T>(region, null, e);
        }
    }
}
