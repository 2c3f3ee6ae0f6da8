namespace CsiProxy.Win.Cim;

/// <summary>The CIM namespaces the host layer reads.</summary>
public static class CimNamespaces
{
    public const string Storage = @"root\Microsoft\Windows\Storage";
    public const string Smb = @"root\Microsoft\Windows\SMB";
    public const string CimV2 = @"root\cimv2";
}
