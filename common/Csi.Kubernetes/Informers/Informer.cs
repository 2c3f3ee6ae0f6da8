using System.Collections.Concurrent;
using System.Text.Json.Serialization.Metadata;
using Csi.Common.Hosting;
using Csi.Kubernetes.Models;
using Microsoft.Extensions.Logging;

namespace Csi.Kubernetes.Informers;

/// <summary>
/// client-go's reflector and indexer in one: lists the resource, then watches from the list's resourceVersion
/// forever, keeping a local cache by namespace/name and calling the handlers for every change. A watch that ends
/// resumes from the last resourceVersion seen (bookmarks included); 410 Gone lists again and reports the
/// difference (objects gone meanwhile arrive as deletions); other failures back off with jitter.
/// Handlers run on the informer's loop, one at a time: keep them quick (enqueue a key).
/// A writer can <see cref="Assume"/> an object it just wrote, as client-go's assume cache does: reads show it until
/// the watch (or a list) shows that version or a newer one; an older version never hides it.
/// </summary>
public sealed class Informer<T> : IAsyncDisposable
    where T : class, IKubernetesObject
{
    /// <summary>How long after its server-side timeout a watch that sent nothing is given up on by the client.</summary>
    private static readonly TimeSpan SilentWatchGrace = TimeSpan.FromSeconds(30);

    private readonly KubernetesApiClient _client;
    private readonly ApiResource _resource;
    private readonly InformerOptions _options;
    private readonly JsonTypeInfo<T> _itemType;
    private readonly JsonTypeInfo<ResourceList<T>> _listType;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _what;
    private readonly ConcurrentDictionary<string, T> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, T> _assumed = new(StringComparer.Ordinal);
    private readonly Lock _assumeGate = new();
    private readonly List<(Action<T>? Added, Action<T, T>? Updated, Action<T>? Deleted)> _handlers = [];
    private readonly List<Action> _listHandlers = [];
    private Action<InformerWatchError>? _watchErrorHandler;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private string? _resourceVersion;

    public Informer(KubernetesApiClient client, ApiResource resource, InformerOptions options, JsonTypeInfo<T> itemType, JsonTypeInfo<ResourceList<T>> listType, ILogger logger, TimeProvider time)
    {
        _client = client;
        _resource = resource;
        _options = options;
        _itemType = itemType;
        _listType = listType;
        _logger = logger;
        _time = time;
        _what = options.Namespace is null ? resource.ToString() : $"{resource} in namespace {options.Namespace}";
    }

    /// <summary>True once the first list is in the cache and its handlers ran.</summary>
    public bool HasSynced => _synced.Task.IsCompletedSuccessfully;

    /// <summary>The resourceVersion the next watch resumes from.</summary>
    public string? LastResourceVersion => Volatile.Read(ref _resourceVersion);

    /// <summary>Adds handlers; call before <see cref="Start"/> so that they see the first list.</summary>
    public void AddHandler(Action<T>? added, Action<T, T>? updated, Action<T>? deleted)
    {
        lock (_handlers)
        {
            _handlers.Add((added, updated, deleted));
        }
    }

    /// <summary>
    /// Adds a handler called after every list (the first and each relist), once the cache holds the list and the
    /// list's adds, updates and deletes were handled: where a consumer checks the whole cache against what it needs.
    /// </summary>
    public void AddListHandler(Action listed)
    {
        lock (_handlers)
        {
            _listHandlers.Add(listed);
        }
    }

    /// <summary>
    /// As client-go's SetWatchErrorHandler: called, instead of the informer's own log line, when a list or watch
    /// fails or its resourceVersion expires; the informer retries (or relists) as it would without it.
    /// </summary>
    public void SetWatchErrorHandler(Action<InformerWatchError> handler) => _watchErrorHandler = handler;

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public T? Get(string? @namespace, string name)
    {
        var key = Key(@namespace, name);
        return _assumed.TryGetValue(key, out var assumed) || _cache.TryGetValue(key, out assumed) ? assumed : null;
    }

    public IReadOnlyList<T> List()
    {
        if (_assumed.IsEmpty)
        {
            return [.. _cache.Values];
        }
        var all = new Dictionary<string, T>(_cache, StringComparer.Ordinal);
        foreach (var (key, assumed) in _assumed)
        {
            all[key] = assumed;
        }
        return [.. all.Values];
    }

    /// <summary>
    /// Shows <paramref name="written"/> (as the API server answered a create or update) to reads before the watch
    /// delivers it, so that work keyed on it is not done twice meanwhile. No handler is called; the watch's event for
    /// it calls them as usual. A version older than the one cached or assumed already is ignored; an object without
    /// a version stands in only until the informer shows any version of it.
    /// </summary>
    /// <returns>false when the cache already holds that version or a newer one.</returns>
    public bool Assume(T written)
    {
        ArgumentNullException.ThrowIfNull(written);
        var key = Key(written);
        var version = VersionOf(written);
        lock (_assumeGate)
        {
            if ((_cache.TryGetValue(key, out var cached) && VersionOf(cached) >= version)
                || (_assumed.TryGetValue(key, out var assumed) && VersionOf(assumed) >= version))
            {
                return false;
            }
            _assumed[key] = written;
            return true;
        }
    }

    /// <summary>The objects assumed and not yet shown by the informer.</summary>
    public int AssumedCount => _assumed.Count;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopped
            }
        }
        _stop.Dispose();
    }

    private static string Key(string? @namespace, string? name) => string.IsNullOrEmpty(@namespace) ? name ?? string.Empty : @namespace + "/" + name;

    private static string Key(T item) => Key(item.Metadata.Namespace, item.Metadata.Name);

    /// <summary>A resourceVersion as a number, as client-go's assume cache reads it; 0 when absent or not a number.</summary>
    private static long VersionOf(T item)
        => long.TryParse(item.Metadata.ResourceVersion, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : 0;

    /// <summary>The informer has seen <paramref name="version"/> of the object at <paramref name="key"/> (or, for a list, the whole collection at it).</summary>
    private void Supersede(string key, long version)
    {
        if (_assumed.IsEmpty)
        {
            return;
        }
        lock (_assumeGate)
        {
            if (_assumed.TryGetValue(key, out var assumed) && VersionOf(assumed) <= version)
            {
                _assumed.TryRemove(key, out _);
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (_resourceVersion is null)
                {
                    await ListAsync(cancellationToken).ConfigureAwait(false);
                }
                var started = _time.GetTimestamp();
                var events = await WatchAsync(cancellationToken).ConfigureAwait(false);
                if (events > 0 || _time.GetElapsedTime(started) > TimeSpan.FromSeconds(1))
                {
                    attempt = 0;
                    continue;
                }
                // A watch the server closes at once, again and again, would spin: treat it as a failure.
                attempt++;
                await Task.Delay(BackgroundLoop.Backoff(attempt, _options.BackoffInitial, _options.BackoffMax), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException e) when (e.IsGone)
            {
                if (!ReportWatchError(new InformerWatchError(e, Gone: true, _resourceVersion, Attempt: 0, TimeSpan.Zero)))
                {
                    InformerLog.Gone(_logger, _what, _resourceVersion);
                }
                Volatile.Write(ref _resourceVersion, null);
            }
            catch (Exception e) when (e is KubernetesApiException or IOException or HttpRequestException or System.Text.Json.JsonException)
            {
                attempt++;
                var delay = BackgroundLoop.Backoff(attempt, _options.BackoffInitial, _options.BackoffMax);
                if (e is KubernetesApiException { RetryAfterSeconds: > 0 } throttled)
                {
                    delay = TimeSpan.FromSeconds(Math.Max(delay.TotalSeconds, throttled.RetryAfterSeconds.Value));
                }
                if (!ReportWatchError(new InformerWatchError(e, Gone: false, _resourceVersion, attempt, delay)))
                {
                    InformerLog.Failed(_logger, _what, attempt, (long)delay.TotalMilliseconds, e.Message);
                }
                try
                {
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var list = await _client.ListAsync(_resource, _options.Namespace, _options.LabelSelector, _options.FieldSelector, _listType, cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list.Items)
        {
            var key = Key(item);
            seen.Add(key);
            Apply("ADDED", key, item);
        }
        foreach (var (key, gone) in _cache)
        {
            if (!seen.Contains(key) && _cache.TryRemove(key, out _))
            {
                Notify(key, h => h.Deleted?.Invoke(gone));
            }
        }
        if (!_assumed.IsEmpty && long.TryParse(list.Metadata?.ResourceVersion, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var listed))
        {
            foreach (var key in _assumed.Keys.Where(k => !seen.Contains(k)))
            {
                Supersede(key, listed); // gone as of the list, unless assumed from a later write
            }
        }
        Volatile.Write(ref _resourceVersion, list.Metadata?.ResourceVersion);
        InformerLog.Listed(_logger, _what, list.Items.Count, _resourceVersion);
        Action[] listHandlers;
        lock (_handlers)
        {
            listHandlers = [.. _listHandlers];
        }
        foreach (var handler in listHandlers)
        {
            try
            {
                handler();
            }
            catch (Exception e)
            {
                InformerLog.HandlerFailed(_logger, _what, "(list)", e.Message);
            }
        }
        _synced.TrySetResult();
    }

    private async Task<int> WatchAsync(CancellationToken cancellationToken)
    {
        var timeout = _options.MinWatchTimeout * (1 + Random.Shared.NextDouble());
        var count = 0;
        // The server ends the watch after timeoutSeconds; the client gives up a little later on a silent connection.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout + SilentWatchGrace);
        try
        {
            await foreach (var change in _client.WatchAsync(_resource, _options.Namespace, _resourceVersion, _options.LabelSelector, _options.FieldSelector, timeout, _itemType, deadline.Token).ConfigureAwait(false))
            {
                count++;
                if (change.Type != "BOOKMARK")
                {
                    Apply(change.Type, Key(change.Item), change.Item);
                }
                if (change.Item.Metadata.ResourceVersion is { Length: > 0 } version)
                {
                    Volatile.Write(ref _resourceVersion, version);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The client-side deadline: resume from the last resourceVersion.
        }
        return count;
    }

    /// <returns>true when a handler set with <see cref="SetWatchErrorHandler"/> took the report.</returns>
    private bool ReportWatchError(InformerWatchError error)
    {
        if (_watchErrorHandler is not { } handler)
        {
            return false;
        }
        try
        {
            handler(error);
        }
        catch (Exception e)
        {
            InformerLog.HandlerFailed(_logger, _what, "(watch error)", e.Message);
        }
        return true;
    }

    private void Apply(string type, string key, T item)
    {
        if (type == "DELETED")
        {
            var removed = _cache.TryRemove(key, out var last);
            Supersede(key, VersionOf(item));
            if (removed)
            {
                Notify(key, h => h.Deleted?.Invoke(item ?? last!));
            }
            return;
        }
        if (_cache.TryGetValue(key, out var old))
        {
            if (old.Metadata.ResourceVersion == item.Metadata.ResourceVersion && type == "ADDED")
            {
                Supersede(key, VersionOf(item));
                return; // a relist that found the object unchanged
            }
            _cache[key] = item;
            Supersede(key, VersionOf(item));
            Notify(key, h => h.Updated?.Invoke(old, item));
        }
        else
        {
            _cache[key] = item;
            Supersede(key, VersionOf(item));
            Notify(key, h => h.Added?.Invoke(item));
        }
    }

    private void Notify(string key, Action<(Action<T>? Added, Action<T, T>? Updated, Action<T>? Deleted)> call)
    {
        (Action<T>? Added, Action<T, T>? Updated, Action<T>? Deleted)[] handlers;
        lock (_handlers)
        {
            handlers = [.. _handlers];
        }
        foreach (var handler in handlers)
        {
            try
            {
                call(handler);
            }
            catch (Exception e)
            {
                InformerLog.HandlerFailed(_logger, _what, key, e.Message);
            }
        }
    }
}
