namespace Csi.Kubernetes;

/// <summary>
/// client-go's retry.RetryOnConflict for every read-modify-write of the suite: the attempt runs again (reading
/// afresh) when its write lost a race: 409 Conflict (written in between), AlreadyExists (created in between) or
/// NotFound naming the object (deleted in between). Any other failure, or the last attempt's, is the caller's.
/// </summary>
public static class RetryOnConflict
{
    /// <summary>client-go's retry.DefaultRetry allows five steps.</summary>
    public const int DefaultAttempts = 5;

    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> readModifyWrite, CancellationToken cancellationToken, int attempts = DefaultAttempts)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await readModifyWrite(cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (LostARace(e) && attempt < attempts)
            {
                // read again and retry
            }
        }
    }

    public static Task RunAsync(Func<CancellationToken, Task> readModifyWrite, CancellationToken cancellationToken, int attempts = DefaultAttempts)
        => RunAsync<bool>(
            async ct =>
            {
                await readModifyWrite(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken,
            attempts);

    /// <summary>True for the failures a fresh read can fix.</summary>
    public static bool LostARace(KubernetesApiException e) => e.IsConflict || e.IsAlreadyExists || (e.IsNotFound && e.NamesAnObject);
}
