namespace SecretsStore.Driver.PodStatuses;

/// <summary>Records what is mounted where: SecretProviderClassPodStatus objects in Kubernetes, memory in standalone mode.</summary>
public interface IPodStatusRecorder
{
    Task RecordAsync(PodStatusRecord record, CancellationToken cancellationToken);

    Task RemoveAsync(string targetPath, CancellationToken cancellationToken);
}
