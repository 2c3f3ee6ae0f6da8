using System.IO.Pipes;
using System.Runtime.Versioning;

namespace CsiProxy.Win.Server;

/// <summary>
/// The pipes' security descriptor: full control for BUILTIN\Administrators and LocalSystem, nobody else, nothing
/// inherited. A HostProcess or hostPath-mounted caller must run as one of them; an ordinary container user cannot open the pipe.
/// </summary>
public static class PipeAcl
{
    /// <summary>Protected DACL (P): all file access (FA) to Administrators (BA) and SYSTEM (SY); owner Administrators.</summary>
    public const string Sddl = "O:BAD:P(A;;FA;;;BA)(A;;FA;;;SY)";

    [SupportedOSPlatform("windows")]
    public static PipeSecurity Create()
    {
        var security = new PipeSecurity();
        security.SetSecurityDescriptorSddlForm(Sddl);
        return security;
    }
}
