using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Csi.Providers.Aws.ParameterStore;

/// <summary><see cref="IParameterStoreApi"/> on AWSSDK.SimpleSystemsManagement.</summary>
internal sealed class SdkParameterStore : IParameterStoreApi
{
    private readonly IAmazonSimpleSystemsManagement _client;

    public SdkParameterStore(IAmazonSimpleSystemsManagement client)
    {
        _client = client;
    }

    public async Task<ParameterBatch> GetParametersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var response = await _client.GetParametersAsync(new GetParametersRequest { Names = [.. names], WithDecryption = true }, cancellationToken).ConfigureAwait(false);
        var parameters = (response.Parameters ?? []).Select(p => new StoredParameter
        {
            Name = p.Name ?? string.Empty,
            Arn = p.ARN,
            Selector = p.Selector,
            Value = p.Value ?? string.Empty,
            Version = p.Version ?? 0,
        }).ToList();
        return new ParameterBatch(parameters, response.InvalidParameters ?? []);
    }
}
