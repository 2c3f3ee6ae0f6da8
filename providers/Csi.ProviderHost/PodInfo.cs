namespace Csi.ProviderHost;

/// <summary>The pod a volume is mounted for, from kubelet's pod-info volume attributes.</summary>
public sealed record PodInfo(string Name, string Namespace, string Uid, string ServiceAccountName);
