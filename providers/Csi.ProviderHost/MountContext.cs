using Csi.Common.Files;

namespace Csi.ProviderHost;

/// <summary>
/// One Mount call, parsed: the SecretProviderClass parameters (overlaid with the volume attributes), the
/// node-publish secrets, the pod, its service-account tokens and the versions already mounted.
/// </summary>
public sealed class MountContext
{
    private readonly ProviderMetrics? _metrics;
    private readonly string _provider;

    public MountContext(
        IReadOnlyDictionary<string, string> parameters,
        IReadOnlyDictionary<string, string> secrets,
        string targetPath,
        int defaultFileMode,
        PodInfo pod,
        IReadOnlyDictionary<string, ServiceAccountToken> tokens,
        IReadOnlyDictionary<string, string> currentObjectVersions,
        int maxConcurrency = 10,
        string provider = "",
        ProviderMetrics? metrics = null)
    {
        Parameters = parameters;
        Secrets = secrets;
        TargetPath = targetPath;
        DefaultFileMode = defaultFileMode;
        Pod = pod;
        Tokens = tokens;
        CurrentObjectVersions = currentObjectVersions;
        MaxConcurrency = Math.Max(1, maxConcurrency);
        _provider = provider;
        _metrics = metrics;
    }

    public IReadOnlyDictionary<string, string> Parameters { get; }

    public IReadOnlyDictionary<string, string> Secrets { get; }

    public string TargetPath { get; }

    public int DefaultFileMode { get; }

    public PodInfo Pod { get; }

    /// <summary>Tokens by audience.</summary>
    public IReadOnlyDictionary<string, ServiceAccountToken> Tokens { get; }

    /// <summary>The versions the driver has mounted now, by object id; empty on a first mount.</summary>
    public IReadOnlyDictionary<string, string> CurrentObjectVersions { get; }

    public int MaxConcurrency { get; }

    public string? Parameter(string name) => Parameters.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>The pod's token for an audience, or an error that says how to get kubelet to send it.</summary>
    public ServiceAccountToken RequireToken(string audience)
    {
        if (Tokens.TryGetValue(audience, out var token))
        {
            return token;
        }
        var have = Tokens.Count == 0 ? "none" : string.Join(", ", Tokens.Keys.Order(StringComparer.Ordinal));
        throw new ProviderException(ProviderErrorKind.FailedPrecondition, "MissingServiceAccountToken",
            $"no service-account token for audience \"{audience}\" (kubelet sent: {have}); add {{audience: {audience}}} to tokenRequests of the CSIDriver secrets-store.csi.k8s.io (Helm value tokenRequests)");
    }

    /// <summary>
    /// Runs <paramref name="fetch"/> for every item with at most <see cref="MaxConcurrency"/> at once and
    /// returns the results in the items' order; the first failure cancels the rest.
    /// </summary>
    public async Task<TResult[]> FetchAllAsync<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, CancellationToken, Task<TResult>> fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(fetch);
        var results = new TResult[items.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, items.Count),
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrency, CancellationToken = cancellationToken },
            async (index, token) => results[index] = await fetch(items[index], token).ConfigureAwait(false)).ConfigureAwait(false);
        return results;
    }

    /// <summary>Counts one fetch from the secret store, by object type and outcome.</summary>
    public void RecordFetch(string objectType, string result, TimeSpan duration)
        => _metrics?.RecordFetch(_provider, objectType, result, duration);

    /// <summary>
    /// The content of a file mounted now, for a rotation that found an object unchanged and skips
    /// fetching it; null when there is none or the provider cannot see the kubelet directory.
    /// </summary>
    public byte[]? ReadCurrentFile(string relativePath)
    {
        if (TargetPath.Length == 0 || FilePathRules.CheckPath(relativePath) is not null)
        {
            return null;
        }
        try
        {
            return File.ReadAllBytes(Path.Combine(TargetPath, relativePath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
