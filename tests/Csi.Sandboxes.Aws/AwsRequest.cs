namespace Csi.Sandboxes.Aws;

/// <summary>One request the sandbox answered: never bodies, tokens, signatures or secret values.</summary>
/// <param name="Region">The region of the SigV4 credential scope; null when the request carried none (STS, the agent, unsigned calls).</param>
/// <param name="Service"><c>secretsmanager</c>, <c>ssm</c>, <c>sts</c> or <c>pod-identity</c>.</param>
/// <param name="Operation">The operation (<c>GetSecretValue</c>, <c>GetParameters</c>, <c>AssumeRoleWithWebIdentity</c>, <c>GetCredentials</c>…); empty when it could not be read.</param>
/// <param name="StatusCode">The HTTP status the sandbox answered.</param>
/// <param name="AccessKeyId">The access key id of the credential scope, when signed.</param>
/// <param name="ErrorType">The error code answered (<c>ResourceNotFoundException</c>, <c>InvalidIdentityToken</c>…); null on success.</param>
public sealed record AwsRequest(string? Region, string Service, string Operation, int StatusCode, string? AccessKeyId, string? ErrorType);
