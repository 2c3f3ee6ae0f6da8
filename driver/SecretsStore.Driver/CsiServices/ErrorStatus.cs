using Grpc.Core;
using SecretsStore.Driver.Publishing;

namespace SecretsStore.Driver.CsiServices;

/// <summary>Maps a failure's reason to the gRPC status kubelet sees.</summary>
public static class ErrorStatus
{
    public static RpcException ToRpcException(SecretsStoreException e)
        => new(new Grpc.Core.Status(ToStatusCode(e), e.Message));

    public static StatusCode ToStatusCode(SecretsStoreException e) => e.Reason switch
    {
        ErrorReason.SecretProviderClassNotFound => StatusCode.NotFound,
        ErrorReason.InvalidSecretProviderClass => StatusCode.FailedPrecondition,
        ErrorReason.FailedToLookupProviderGRPCClient => StatusCode.FailedPrecondition,
        ErrorReason.ProviderTimeout => StatusCode.DeadlineExceeded,
        ErrorReason.GRPCProviderError => e.ProviderStatus switch
        {
            StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.InvalidArgument or StatusCode.NotFound
                or StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.FailedPrecondition => e.ProviderStatus.Value,
            StatusCode.Unimplemented => StatusCode.FailedPrecondition,
            _ => StatusCode.Unknown,
        },
        ErrorReason.ProviderError => StatusCode.Unknown,
        ErrorReason.KubernetesApiError => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };
}
