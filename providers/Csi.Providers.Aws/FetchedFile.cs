using Csi.ProviderHost;

namespace Csi.Providers.Aws;

/// <summary>A file for the volume and the object version it reports; <see cref="Order"/> keeps the objects' order.</summary>
internal sealed record FetchedFile(int Order, ProviderFile File, ProviderObjectVersion Version);
