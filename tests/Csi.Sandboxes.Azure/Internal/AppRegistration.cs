namespace Csi.Sandboxes.Azure.Internal;

/// <summary>An application in a tenant: its client secrets and federated identity credentials.</summary>
internal sealed class AppRegistration(string tenantId, string clientId)
{
    public string TenantId { get; } = tenantId;

    public string ClientId { get; } = clientId;

    public List<string> Secrets { get; } = [];

    public List<(string Issuer, string Subject, string Audience)> FederatedCredentials { get; } = [];
}
