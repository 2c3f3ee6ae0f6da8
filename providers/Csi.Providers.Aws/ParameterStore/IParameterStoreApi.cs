namespace Csi.Providers.Aws.ParameterStore;

/// <summary>SSM GetParameters (WithDecryption) in one region with one set of credentials.</summary>
internal interface IParameterStoreApi
{
    /// <summary>At most 10 names, each maybe with ":version" or ":label".</summary>
    Task<ParameterBatch> GetParametersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken);
}
