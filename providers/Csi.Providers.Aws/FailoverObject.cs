namespace Csi.Providers.Aws;

/// <summary>What to fetch instead in the failover region (<c>failoverObject</c>).</summary>
internal sealed record FailoverObject(string ObjectName, string ObjectVersion, string ObjectVersionLabel);
