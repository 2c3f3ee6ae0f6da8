using System.Globalization;
using System.Runtime.Versioning;
using Microsoft.Management.Infrastructure;

namespace CsiProxy.Win.Windows;

/// <summary>Typed reads of CIM instance properties and out parameters.</summary>
[SupportedOSPlatform("windows")]
internal static class CimValues
{
    public static string String(CimInstance instance, string name)
        => instance.CimInstanceProperties[name]?.Value as string ?? "";

    public static uint UInt32(CimInstance instance, string name)
        => Convert.ToUInt32(instance.CimInstanceProperties[name]?.Value ?? 0u, CultureInfo.InvariantCulture);

    public static long Int64(CimInstance instance, string name)
        => Convert.ToInt64(instance.CimInstanceProperties[name]?.Value ?? 0L, CultureInfo.InvariantCulture);

    public static bool Bool(CimInstance instance, string name)
        => instance.CimInstanceProperties[name]?.Value is true;

    public static long OutInt64(CimMethodResult result, string name)
        => Convert.ToInt64(result.OutParameters[name]?.Value ?? 0L, CultureInfo.InvariantCulture);
}
