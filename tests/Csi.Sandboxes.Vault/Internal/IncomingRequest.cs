using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Vault.Internal;

/// <summary>An HTTP request reduced to what Vault's core looks at.</summary>
internal sealed class IncomingRequest
{
    public required string Method { get; init; }

    public required string RawPath { get; init; }

    public required IReadOnlyDictionary<string, string> Query { get; init; }

    public string? NamespaceHeader { get; init; }

    public string? Token { get; init; }

    public JsonObject? Body { get; init; }

    public string? BodyError { get; init; }
}
