using Csi.Common.RateLimiting;
using Csi.Kubernetes;

namespace SecretsStore.Driver.Kubernetes;

/// <summary>The suite's Kubernetes client as the driver uses it: its user agent, and where a 403 sends the operator.</summary>
public static class DriverApiClient
{
    public const string ForbiddenHint = "check the driver's RBAC: the chart's secretproviderclasses-role grants what it needs";

    public static KubernetesApiClient Create(KubernetesConnection connection, TokenBucket limiter)
        => new(connection, limiter, "secrets-store-csi-driver/" + DriverVersion.Version, ForbiddenHint);
}
