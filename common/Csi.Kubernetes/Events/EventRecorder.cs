using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Csi.Kubernetes.Models;
using Microsoft.Extensions.Logging;

namespace Csi.Kubernetes.Events;

/// <summary>
/// core/v1 Events written as client-go's recorder writes them: name &lt;object&gt;.&lt;hex nanoseconds&gt;, source
/// component and host, count with first and last timestamps, message cut at 1 KiB. An Event that repeats one
/// recorded in the last ten minutes bumps its count with a merge patch instead of adding an object.
/// <see cref="Record"/> never blocks or throws: events go through a bounded queue to one writer, and a full queue
/// drops (and logs) rather than slowing the caller; <see cref="RecordAsync"/> writes at once.
/// </summary>
public sealed class EventRecorder : IAsyncDisposable
{
    public const int MaxMessageLength = 1024;
    private const int MaxRemembered = 4096;
    private const int MaxPending = 1000;
    private static readonly TimeSpan AggregationWindow = TimeSpan.FromMinutes(10);

    private readonly KubernetesApiClient _api;
    private readonly string _component;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Recorded> _recent = new(StringComparer.Ordinal);
    private readonly Channel<Pending> _pending = Channel.CreateBounded<Pending>(new BoundedChannelOptions(MaxPending) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stop = new();
    private Task? _writer;
    private int _queued;

    /// <param name="api">the client events are written with.</param>
    /// <param name="component">source.component and reportingComponent (upstream: the driver or provisioner name).</param>
    /// <param name="logger">where failures to record are logged.</param>
    /// <param name="time">the clock for timestamps and aggregation.</param>
    public EventRecorder(KubernetesApiClient api, string component, ILogger logger, TimeProvider time)
    {
        _api = api;
        _component = component;
        _logger = logger;
        _time = time;
    }

    /// <summary>source.host and reportingInstance: the node or pod the recording process runs on.</summary>
    public string? Host { get; init; }

    /// <summary>Queues the event and returns at once.</summary>
    public void Record(ObjectReference involvedObject, string type, string reason, string message)
    {
        if (!_pending.Writer.TryWrite(new Pending(involvedObject, type, reason, message, null)))
        {
            EventLog.Dropped(_logger, reason, involvedObject.Kind, involvedObject.Namespace, involvedObject.Name, MaxPending);
            return;
        }
        Interlocked.Increment(ref _queued);
        lock (_gate)
        {
            _writer ??= Task.Run(WriteQueuedAsync, CancellationToken.None);
        }
    }

    /// <summary>Waits until every event queued so far is written (or failed).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _queued) > 0)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the event now; failures are logged, never thrown (an event is never worth failing the work for).</summary>
    public async Task RecordAsync(ObjectReference involvedObject, string type, string reason, string message, string? component, CancellationToken cancellationToken)
    {
        component ??= _component;
        message = message.Length > MaxMessageLength ? message[..(MaxMessageLength - 3)] + "..." : message;
        var @namespace = string.IsNullOrEmpty(involvedObject.Namespace) ? "default" : involvedObject.Namespace;
        var key = string.Join('\u0000', involvedObject.Uid, involvedObject.Kind, @namespace, involvedObject.Name, type, reason, component, message);
        var now = _time.GetUtcNow();
        Recorded? previous;
        lock (_gate)
        {
            _recent.TryGetValue(key, out previous);
        }
        try
        {
            if (previous is not null && now - previous.Last < AggregationWindow
                && await TryBumpAsync(@namespace, previous, now, cancellationToken).ConfigureAwait(false) is { } bumped)
            {
                Remember(key, bumped);
                return;
            }
            var name = string.Create(CultureInfo.InvariantCulture, $"{involvedObject.Name}.{(now - DateTimeOffset.UnixEpoch).Ticks * 100:x}");
            var created = new EventResource
            {
                Metadata = new ObjectMeta { Name = name, Namespace = @namespace },
                InvolvedObject = involvedObject,
                Reason = reason,
                Message = message,
                Source = new EventSource { Component = component, Host = Host },
                FirstTimestamp = Timestamp(now),
                LastTimestamp = Timestamp(now),
                Count = 1,
                Type = type,
                ReportingComponent = component,
                ReportingInstance = Host,
            };
            await _api.CreateAsync(ApiResource.Events, @namespace, created, KubernetesJsonContext.Default.EventResource, cancellationToken).ConfigureAwait(false);
            Remember(key, new Recorded(name, 1, now));
            EventLog.Recorded(_logger, type, reason, involvedObject.Kind, involvedObject.Namespace, involvedObject.Name);
        }
        catch (KubernetesApiException e)
        {
            EventLog.Failed(_logger, reason, involvedObject.Kind, involvedObject.Namespace, involvedObject.Name, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        Task? writer;
        lock (_gate)
        {
            writer = _writer;
        }
        if (writer is not null)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await writer.WaitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await _stop.CancelAsync().ConfigureAwait(false);
            }
        }
        _stop.Dispose();
    }

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private async Task WriteQueuedAsync()
    {
        await foreach (var item in _pending.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await RecordAsync(item.InvolvedObject, item.Type, item.Reason, item.Message, item.Component, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // shutting down
            }
            finally
            {
                Interlocked.Decrement(ref _queued);
            }
        }
    }

    private async Task<Recorded?> TryBumpAsync(string @namespace, Recorded previous, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var count = previous.Count + 1;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("count", count);
            writer.WriteString("lastTimestamp", Timestamp(now));
            writer.WriteEndObject();
        }
        try
        {
            await _api.PatchAsync(ApiResource.Events, @namespace, previous.Name, buffer.ToArray(), KubernetesJsonContext.Default.EventResource, cancellationToken).ConfigureAwait(false);
            return previous with { Count = count, Last = now };
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return null; // expired (events have a TTL): record a new one
        }
    }

    private void Remember(string key, Recorded recorded)
    {
        lock (_gate)
        {
            if (_recent.Count >= MaxRemembered && !_recent.ContainsKey(key))
            {
                _recent.Clear(); // a rare storm of distinct Events: forget and start again rather than grow
            }
            _recent[key] = recorded;
        }
    }

    private sealed record Recorded(string Name, int Count, DateTimeOffset Last);

    private sealed record Pending(ObjectReference InvolvedObject, string Type, string Reason, string Message, string? Component);
}
