namespace Csi.Sandboxes.Azure.Internal;

/// <summary>What the sandbox remembers of an access token it issued.</summary>
internal sealed record IssuedToken(string TenantId, string Audience, string ClientId, DateTimeOffset ExpiresAt);
