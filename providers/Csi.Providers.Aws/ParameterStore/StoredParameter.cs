namespace Csi.Providers.Aws.ParameterStore;

/// <summary>One parameter GetParameters returned; a class so that nothing prints its value.</summary>
internal sealed class StoredParameter
{
    public required string Name { get; init; }

    public string? Arn { get; init; }

    /// <summary>":3" or ":label" when the request named a version or label.</summary>
    public string? Selector { get; init; }

    public required string Value { get; init; }

    public long Version { get; init; }

    public override string ToString() => $"StoredParameter {{ Name = {Name}, Selector = {Selector}, Version = {Version} }}";
}
