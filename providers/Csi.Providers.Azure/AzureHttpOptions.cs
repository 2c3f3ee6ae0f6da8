using Azure.Core;

namespace Csi.Providers.Azure;

/// <summary>Pipeline options (retries, transport) for the provider's own Azure.Core clients.</summary>
internal sealed class AzureHttpOptions : ClientOptions
{
}
