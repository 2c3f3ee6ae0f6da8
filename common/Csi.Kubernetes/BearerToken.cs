namespace Csi.Kubernetes;

/// <summary>
/// The bearer token sent to the API server: fixed (kubeconfig <c>token</c>) or read from a file that kubelet
/// rotates (the projected service-account token, kubeconfig <c>tokenFile</c>). A file is re-read at most once a
/// minute, as client-go does, and at once after a 401.
/// </summary>
public sealed class BearerToken
{
    private static readonly TimeSpan RereadInterval = TimeSpan.FromMinutes(1);

    private readonly string? _fixed;
    private readonly string? _path;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private string? _current;
    private DateTimeOffset _readAt;

    private BearerToken(string? fixedToken, string? path, TimeProvider time)
    {
        _fixed = fixedToken;
        _path = path;
        _time = time;
    }

    public static BearerToken Fixed(string token) => new(token, null, TimeProvider.System);

    public static BearerToken FromFile(string path, TimeProvider time) => new(null, path, time);

    /// <summary>Where the token comes from, for messages (never the token itself).</summary>
    public string Origin => _path is null ? "the kubeconfig token" : "the token file " + _path;

    public string Get()
    {
        if (_fixed is not null)
        {
            return _fixed;
        }
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_current is null || now - _readAt >= RereadInterval)
            {
                _current = Read(_path!);
                _readAt = now;
            }
            return _current;
        }
    }

    /// <summary>After a 401: the next <see cref="Get"/> reads the file again. Returns whether that can change anything.</summary>
    public bool Invalidate()
    {
        if (_path is null)
        {
            return false;
        }
        lock (_gate)
        {
            _current = null;
        }
        return true;
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubernetesApiException(0, "TokenUnreadable", $"cannot read the service account token {path}: {e.Message}", e);
        }
    }
}
