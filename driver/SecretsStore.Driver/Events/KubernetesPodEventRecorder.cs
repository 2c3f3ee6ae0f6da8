using Csi.Kubernetes;
using Csi.Kubernetes.Events;
using Csi.Kubernetes.Models;

namespace SecretsStore.Driver.Events;

/// <summary>
/// core/v1 Events on pods through the suite's <see cref="EventRecorder"/> (client-go's naming, source, counts and
/// aggregation of repeats), with the node as the source host and each event's own component.
/// </summary>
public sealed class KubernetesPodEventRecorder : IPodEventRecorder, IAsyncDisposable
{
    public const int MaxMessageLength = EventRecorder.MaxMessageLength;

    private readonly EventRecorder _recorder;

    public KubernetesPodEventRecorder(KubernetesApiClient api, string nodeId, ILogger<KubernetesPodEventRecorder> logger, TimeProvider time)
        => _recorder = new EventRecorder(api, "secrets-store-csi-driver", logger, time) { Host = nodeId };

    public Task RecordAsync(PodEvent podEvent, CancellationToken cancellationToken)
        => _recorder.RecordAsync(
            new ObjectReference { ApiVersion = "v1", Kind = "Pod", Namespace = podEvent.Pod.Namespace, Name = podEvent.Pod.Name, Uid = podEvent.Pod.Uid },
            podEvent.Type,
            podEvent.Reason,
            podEvent.Message,
            podEvent.Component,
            cancellationToken);

    public ValueTask DisposeAsync() => _recorder.DisposeAsync();
}
