namespace CsiProxy.Win.Cim;

/// <summary>The CIM method calls the host layer makes, with their arguments mapped from validated request values.</summary>
public static class CimCalls
{
    /// <summary>GPT basic data partition type.</summary>
    public const string BasicDataPartitionType = "{ebd0a0a2-b9e5-4433-87c0-68b6b72699c7}";

    /// <summary>MSFT_Disk.PartitionStyle value for GPT.</summary>
    public const ushort PartitionStyleGpt = 2;

    public static CimMethodCall InitializeDiskGpt()
        => new(CimNamespaces.Storage, "MSFT_Disk", "Initialize", [new("PartitionStyle", PartitionStyleGpt)]);

    public static CimMethodCall CreateMaximumPartition()
        => new(CimNamespaces.Storage, "MSFT_Disk", "CreatePartition",
        [
            new("UseMaximumSize", true),
            new("GptType", BasicDataPartitionType),
            new("AssignDriveLetter", false),
        ]);

    public static CimMethodCall SetDiskOnline(bool online)
        => new(CimNamespaces.Storage, "MSFT_Disk", online ? "Online" : "Offline", []);

    public static CimMethodCall RefreshDisk()
        => new(CimNamespaces.Storage, "MSFT_Disk", "Refresh", []);

    public static CimMethodCall UpdateHostStorageCache()
        => new(CimNamespaces.Storage, "MSFT_StorageSetting", "UpdateHostStorageCache", [], IsStatic: true);

    /// <summary>Quick NTFS format; Force because the volume has no drive letter and may be mounted at a path.</summary>
    public static CimMethodCall FormatNtfs()
        => new(CimNamespaces.Storage, "MSFT_Volume", "Format",
        [
            new("FileSystem", "NTFS"),
            new("Full", false),
            new("Force", true),
        ]);

    public static CimMethodCall FlushVolume()
        => new(CimNamespaces.Storage, "MSFT_Volume", "Flush", []);

    public static CimMethodCall GetPartitionSupportedSize()
        => new(CimNamespaces.Storage, "MSFT_Partition", "GetSupportedSize", []);

    public static CimMethodCall ResizePartition(ulong sizeBytes)
        => new(CimNamespaces.Storage, "MSFT_Partition", "Resize", [new("Size", sizeBytes)]);

    /// <summary>Without a user name the mapping is made with the proxy's own identity, so no credential is passed.</summary>
    public static CimMethodCall CreateSmbGlobalMapping(string remoteRoot, string username, string password, bool requirePrivacy)
    {
        List<CimArgument> arguments = [new("RemotePath", remoteRoot)];
        if (username.Length > 0)
        {
            arguments.Add(new("Credential", SmbCredential.Format(username, password), IsSecret: true));
        }
        arguments.Add(new("RequirePrivacy", requirePrivacy));
        return new(CimNamespaces.Smb, "MSFT_SmbGlobalMapping", "Create", arguments, IsStatic: true);
    }

    public static CimMethodCall RemoveSmbGlobalMapping()
        => new(CimNamespaces.Smb, "MSFT_SmbGlobalMapping", "Remove", [new("Force", true)]);

    public static CimMethodCall StartService()
        => new(CimNamespaces.CimV2, "Win32_Service", "StartService", []);

    public static CimMethodCall StopService()
        => new(CimNamespaces.CimV2, "Win32_Service", "StopService", []);
}
