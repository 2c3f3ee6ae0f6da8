namespace SecretsStore.Driver.Publishing;

/// <summary>Why a publish failed; the names are upstream's error_type metric labels where upstream has one.</summary>
public enum ErrorReason
{
    FailedToEnsureMountPoint,
    SecretProviderClassNotFound,
    InvalidSecretProviderClass,
    FailedToLookupProviderGRPCClient,
    GRPCProviderError,
    ProviderError,
    ProviderTimeout,
    InvalidProviderResponse,
    FailedToMount,
    FileWriteError,
    FailedToUnmount,
    KubernetesApiError,
}
