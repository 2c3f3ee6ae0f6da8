using Grpc.Core;
using SecretsStore.Provider.V1Alpha1;

namespace Csi.ProviderHost;

/// <summary>The v1alpha1.CSIDriverProvider service: Version from the provider, Mount through the pipeline.</summary>
public sealed class ProviderService : CSIDriverProvider.CSIDriverProviderBase
{
    public const string ApiVersion = "v1alpha1";

    /// <summary>The service's full name on the wire.</summary>
    public const string ServiceName = "v1alpha1.CSIDriverProvider";

    private readonly SecretsProvider _provider;
    private readonly MountPipeline _pipeline;

    public ProviderService(SecretsProvider provider, MountPipeline pipeline)
    {
        _provider = provider;
        _pipeline = pipeline;
    }

    public override Task<VersionResponse> Version(VersionRequest request, ServerCallContext context)
        => Task.FromResult(new VersionResponse { Version = ApiVersion, RuntimeName = _provider.RuntimeName, RuntimeVersion = _provider.Version });

    public override async Task<MountResponse> Mount(MountRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return await _pipeline.MountAsync(request, context.CancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException e)
        {
            throw ProviderStatus.ToRpcException(e);
        }
    }
}
