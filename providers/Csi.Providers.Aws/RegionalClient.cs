namespace Csi.Providers.Aws;

/// <summary>
/// A service client in one region, connected on first use (getting credentials may fail, and then it fails as that
/// region's outcome). <see cref="IsFailover"/> selects the object's failoverObject names.
/// </summary>
internal sealed class RegionalClient<TApi>
{
    private readonly Lazy<Task<TApi>> _connect;

    public RegionalClient(string region, bool isFailover, Func<Task<TApi>> connect)
    {
        Region = region;
        IsFailover = isFailover;
        _connect = new Lazy<Task<TApi>>(connect, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Region { get; }

    public bool IsFailover { get; }

    public Task<TApi> ConnectAsync() => _connect.Value;
}
