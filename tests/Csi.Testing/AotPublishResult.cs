using System.Text.RegularExpressions;

namespace Csi.Testing;

/// <summary>The outcome of one <c>dotnet publish</c> of the driver with Native AOT.</summary>
public sealed partial record AotPublishResult(string BinaryPath, int ExitCode, string Log)
{
    public bool Succeeded => ExitCode == 0 && File.Exists(BinaryPath);

    /// <summary>The log's trim (IL2xxx) and AOT (IL3xxx) warnings and errors, one line each, without duplicates.</summary>
    public IReadOnlyList<string> TrimAndAotDiagnostics =>
        Log.Split('\n')
            .Where(line => TrimOrAotCode().IsMatch(line))
            .Select(line => line.Trim())
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    [GeneratedRegex(@"\b(warning|error)\s+IL[23]\d{3}\b")]
    private static partial Regex TrimOrAotCode();
}
