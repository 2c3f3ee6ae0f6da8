namespace Csi.Common.Hosting;

/// <summary>The full names of the CSI services (package <c>csi.v1</c>), as on the wire.</summary>
public static class CsiServiceNames
{
    public const string Identity = "csi.v1.Identity";
    public const string Controller = "csi.v1.Controller";
    public const string Node = "csi.v1.Node";
}
