namespace Csi.Providers.Aws.ParameterStore;

/// <summary>What one GetParameters call answered: the parameters found and the names it did not know.</summary>
internal sealed record ParameterBatch(IReadOnlyList<StoredParameter> Parameters, IReadOnlyList<string> InvalidParameters);
