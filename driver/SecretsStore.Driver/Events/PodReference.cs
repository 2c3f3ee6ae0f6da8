namespace SecretsStore.Driver.Events;

/// <summary>The pod a volume belongs to, as kubelet names it in the volume context.</summary>
public sealed record PodReference(string Namespace, string Name, string Uid);
