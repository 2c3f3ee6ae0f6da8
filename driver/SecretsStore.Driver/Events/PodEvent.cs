namespace SecretsStore.Driver.Events;

/// <summary>An Event about a pod: Normal or Warning, upstream's reason and reporting component, and a message with names only.</summary>
public sealed record PodEvent(PodReference Pod, string Type, string Reason, string Message, string Component)
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    /// <summary>Upstream's secret-sync controller reason and component.</summary>
    public const string FailedToCreateSecret = "FailedToCreateSecret";
    public const string SyncComponent = "csi-secrets-store-controller";

    /// <summary>Upstream's (pre-v1.6) rotation reasons and component.</summary>
    public const string SecretRotationComplete = "SecretRotationComplete";
    public const string SecretRotationFailed = "SecretRotationFailed";
    public const string RotationComponent = "csi-secrets-store-rotation";
}
