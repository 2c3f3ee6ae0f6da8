namespace SecretsStore.Driver.Events;

/// <summary>Records Events on pods. Recording never fails the caller: a lost Event is logged, not thrown.</summary>
public interface IPodEventRecorder
{
    Task RecordAsync(PodEvent podEvent, CancellationToken cancellationToken);
}
