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
/// </summary>
public sealed class Informer<T> : IAsyncDisposable
    where T : class, IKubernetesObject
{
    private readonly KubernetesApiClient _client;
    private readonly ApiResource _resource;
    private readonly InformerOptions _options;
    private readonly JsonTypeInfo<T> _itemType;
    private readonly JsonTypeInfo<ResourceList<T>> _listType;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _what;
    private readonly ConcurrentDictionary<string, T> _cache = new(StringComparer.Ordinal);
    private readonly List<(Action<T>? Added, Action<T, T>? Updated, Action<T>? Deleted)> _handlers = [];
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

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public T? Get(string? @namespace, string name) => _cache.TryGetValue(Key(@namespace, name), out var item) ? item : null;

    public IReadOnlyList<T> List() => [.. _cache.Values];

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
                InformerLog.Gone(_logger, _what, _resourceVersion);
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
                InformerLog.Failed(_logger, _what, attempt, (long)delay.TotalMilliseconds, e.Message);
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
        Volatile.Write(ref _resourceVersion, list.Metadata?.ResourceVersion);
        InformerLog.Listed(_logger, _what, list.Items.Count, _resourceVersion);
        _synced.TrySetResult();
    }

    private async Task<int> WatchAsync(CancellationToken cancellationToken)
    {
        var timeout = _options.MinWatchTimeout * (1 + Random.Shared.NextDouble());
        var count = 0;
        await foreach (var change in _client.WatchAsync(_resource, _options.Namespace, _resourceVersion, _options.LabelSelector, _options.FieldSelector, timeout, _itemType, cancellationToken).ConfigureAwait(false))
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
        return count;
    }

    private void Apply(string type, string key, T item)
    {
        if (type == "DELETED")
        {
            if (_cache.TryRemove(key, out var last))
            {
                Notify(key, h => h.Deleted?.Invoke(item ?? last));
            }
            return;
        }
        if (_cache.TryGetValue(key, out var old))
        {
            if (old.Metadata.ResourceVersion == item.Metadata.ResourceVersion && type == "ADDED")
            {
                return; // a relist that found the object unchanged
            }
            _cache[key] = item;
            Notify(key, h => h.Updated?.Invoke(old, item));
        }
        else
        {
            _cache[key] = item;
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
