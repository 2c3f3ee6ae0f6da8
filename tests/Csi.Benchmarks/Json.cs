using System.Text.Json;

namespace Csi.Benchmarks;

/// <summary>How the report is written as JSON.</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
