namespace Csi.Sandboxes.Aws.Internal;

/// <summary>What the sandbox remembers of temporary credentials it issued: who they act as and until when.</summary>
internal sealed record IssuedCredential(
    string AccessKeyId,
    string SecretAccessKey,
    string SessionToken,
    DateTimeOffset Expiration,
    string RoleArn,
    string AssumedRoleArn);
