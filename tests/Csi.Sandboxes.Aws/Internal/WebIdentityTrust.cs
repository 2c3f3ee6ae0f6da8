namespace Csi.Sandboxes.Aws.Internal;

/// <summary>One trust-policy statement of a role: tokens for this service account with this audience may assume it.</summary>
internal sealed record WebIdentityTrust(string Namespace, string ServiceAccountName, string Audience)
{
    public string Subject => $"system:serviceaccount:{Namespace}:{ServiceAccountName}";
}
