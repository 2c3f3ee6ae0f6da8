namespace SecretsStore.Driver.SecretSync;

/// <summary>Who owns a synced Secret (--secret-owner): each pod that mounts it (upstream), or the pods' controller.</summary>
public enum SecretOwner
{
    /// <summary>One ownerReference per mounting pod; the Secret goes with the last of them (upstream's behaviour).</summary>
    Pod,

    /// <summary>The pod's controlling ReplicaSet, StatefulSet or DaemonSet, so that a rollout does not delete and re-create the Secret.</summary>
    Controller,
}
