namespace Csi.Providers.Aws.Credentials;

/// <summary>Who the pod is to AWS, for logs and the credential cache: never a token or key.</summary>
internal sealed record AwsIdentity(bool PodIdentity, string Namespace, string ServiceAccount, string RoleArn)
{
    public override string ToString() => PodIdentity
        ? $"pod identity {Namespace}/{ServiceAccount}"
        : $"IRSA {Namespace}/{ServiceAccount} role {RoleArn}";
}
