namespace Csi.Kubernetes.Queues;

/// <summary>What a worker got from the queue: a key to process, or word that the queue shut down.</summary>
public readonly record struct WorkItem<TKey>(bool ShutDown, TKey Key);
