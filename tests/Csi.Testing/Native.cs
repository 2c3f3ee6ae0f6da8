using System.Runtime.InteropServices;

namespace Csi.Testing;

/// <summary>The few libc calls .NET has no API for.</summary>
internal static partial class Native
{
    public const int SigTerm = 15;

    public const int SigCont = 18;

    public const int SigStop = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
