using System.Globalization;

namespace CsiProxy.Win.Cim;

/// <summary>Names the return codes of the CIM methods the host layer calls, for error messages.</summary>
public static class CimReturnCodes
{
    /// <summary>Win32_Service: the service is already running.</summary>
    public const uint ServiceAlreadyRunning = 10;

    /// <summary>Win32_Service: other services depend on this one and still run.</summary>
    public const uint ServiceHasRunningDependents = 3;

    /// <summary>Win32_Service: the service is not running (a stop of a stopped service).</summary>
    public const uint ServiceNotActive = 5;

    /// <summary>MSFT_Disk.CreatePartition: the access path is already in use (a retried partitioning).</summary>
    public const uint AccessPathInUse = 42002;

    public static string Describe(string className, uint code)
    {
        var text = className == "Win32_Service"
            ? code switch
            {
                2 => "access denied",
                ServiceHasRunningDependents => "dependent services are running",
                ServiceNotActive => "the service is not active",
                7 => "the service did not respond in time",
                ServiceAlreadyRunning => "the service is already running",
                14 => "the service is disabled",
                _ => null,
            }
            : code switch
            {
                1 => "not supported",
                2 => "unspecified error",
                3 => "timeout",
                4 => "failed",
                5 => "invalid parameter",
                40001 => "access denied",
                AccessPathInUse => "access path in use",
                _ => null,
            };
        var number = code.ToString(CultureInfo.InvariantCulture);
        return text is null ? $"code {number}" : $"code {number} ({text})";
    }
}
