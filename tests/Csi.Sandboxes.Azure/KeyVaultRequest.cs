namespace Csi.Sandboxes.Azure;

/// <summary>One request the sandbox answered: never bodies, tokens or secret values.</summary>
/// <param name="Service"><c>vault</c>, <c>aad</c>, <c>imds</c> or <c>nmi</c>.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Host">The Host header (the vault or authority host the client addressed).</param>
/// <param name="Path">The path without query.</param>
/// <param name="StatusCode">The status the sandbox answered.</param>
/// <param name="HadAuthorization">Whether the request carried an Authorization header.</param>
public sealed record KeyVaultRequest(string Service, string Method, string Host, string Path, int StatusCode, bool HadAuthorization);
