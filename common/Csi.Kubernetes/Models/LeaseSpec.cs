using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Csi.Kubernetes.Models;

/// <summary>A Lease's spec: who holds it, for how long, and when it was acquired and last renewed (MicroTime).</summary>
public sealed class LeaseSpec
{
    public string? HolderIdentity { get; set; }

    public int? LeaseDurationSeconds { get; set; }

    public string? AcquireTime { get; set; }

    public string? RenewTime { get; set; }

    public int? LeaseTransitions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }

    /// <summary>metav1.MicroTime on the wire: RFC 3339 in UTC with exactly six fractional digits.</summary>
    public static string MicroTime(DateTimeOffset time)
        => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
