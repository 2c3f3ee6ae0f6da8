namespace Csi.Providers.Azure;

/// <summary>Which credential a mount uses and what it needs; never printed with its secrets.</summary>
internal sealed record AzureCredentialSettings
{
    public const string WorkloadIdentityAudience = "api://AzureADTokenExchange";

    public const string IdentityBindingAudience = "api://AKSIdentityBinding";

    /// <summary>The mode from the parameters.</summary>
    public required AzureIdentityMode Mode { get; init; }

    /// <summary>The workload-identity (or identity-binding) client id, else empty.</summary>
    public string ClientId { get; init; } = string.Empty;

    /// <summary>The pod's token used as client assertion, when a client id is set.</summary>
    public string? ServiceAccountToken { get; init; }

    /// <summary>The user-assigned managed identity's client id; empty for system-assigned.</summary>
    public string UserAssignedIdentityId { get; init; } = string.Empty;

    /// <summary>The service principal from the node-publish secret (mode None without workload identity).</summary>
    public string ServicePrincipalClientId { get; init; } = string.Empty;

    public string ServicePrincipalSecret { get; init; } = string.Empty;

    /// <summary>Workload identity: no mode flag, a client id and the pod's token.</summary>
    public bool UsesWorkloadIdentity => Mode == AzureIdentityMode.None && ClientId.Length > 0 && ServiceAccountToken is not null;

    public override string ToString() => $"AzureCredentialSettings {{ Mode = {Mode}, ClientId = {ClientId}, WorkloadIdentity = {UsesWorkloadIdentity}, UserAssignedIdentityId = {UserAssignedIdentityId}, ServicePrincipalClientId = {ServicePrincipalClientId} }}";
}
