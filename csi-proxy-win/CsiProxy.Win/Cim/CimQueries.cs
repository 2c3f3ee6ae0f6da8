namespace CsiProxy.Win.Cim;

/// <summary>The WQL queries the host layer runs, each built from typed values by <see cref="CimQuery"/>.</summary>
public static class CimQueries
{
    public static string AllDisks() => CimQuery.From("MSFT_Disk").Select("Number", "Location", "Path", "SerialNumber").Build();

    public static string Disk(uint number) => CimQuery.From("MSFT_Disk").Where("Number", number).Build();

    public static string Partitions(uint diskNumber) => CimQuery.From("MSFT_Partition").Where("DiskNumber", diskNumber).Build();

    public static string Partition(uint diskNumber, uint partitionNumber)
        => CimQuery.From("MSFT_Partition").Where("DiskNumber", diskNumber).Where("PartitionNumber", partitionNumber).Build();

    public static string Volume(string volumeId) => CimQuery.From("MSFT_Volume").Where("UniqueId", volumeId).Build();

    public static string SmbGlobalMapping(string remoteRoot) => CimQuery.From("MSFT_SmbGlobalMapping").Where("RemotePath", remoteRoot).Build();

    public static string Service(string name) => CimQuery.From("Win32_Service").Where("Name", name).Build();

    public static string DependentServices(string name)
        => $"ASSOCIATORS OF {{Win32_Service.Name={CimQuery.Quote(name)}}} WHERE AssocClass = Win32_DependentService Role = Antecedent";

    public static string BiosSerialNumber() => CimQuery.From("CIM_BIOSElement").Select("SerialNumber").Build();
}
