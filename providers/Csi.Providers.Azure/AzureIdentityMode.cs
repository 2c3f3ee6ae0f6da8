namespace Csi.Providers.Azure;

/// <summary>How the provider gets its Key Vault token, chosen from the parameters as upstream chooses it.</summary>
internal enum AzureIdentityMode
{
    /// <summary>No mode flag: workload identity when clientID and pod tokens are present, else a service principal from the node-publish secret.</summary>
    None,

    /// <summary><c>usePodIdentity</c> (deprecated): the NMI endpoint on the node.</summary>
    PodIdentity,

    /// <summary><c>useVMManagedIdentity</c>: IMDS, system or user-assigned.</summary>
    VMManagedIdentity,

    /// <summary><c>useAzureTokenProxy</c>: AKS identity binding through the token proxy.</summary>
    AzureTokenProxy,
}
