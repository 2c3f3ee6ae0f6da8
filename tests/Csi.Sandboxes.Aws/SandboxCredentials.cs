namespace Csi.Sandboxes.Aws;

/// <summary>Temporary credentials for a role, as STS or the Pod Identity agent would hand them out.</summary>
/// <param name="AccessKeyId">An <c>ASIA…</c> access key id.</param>
/// <param name="SecretAccessKey">The secret the request signature is keyed with.</param>
/// <param name="SessionToken">Must travel as <c>X-Amz-Security-Token</c> with every signed request.</param>
/// <param name="Expiration">After this instant (sandbox clock) requests fail with <c>ExpiredTokenException</c>.</param>
public sealed record SandboxCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration);
