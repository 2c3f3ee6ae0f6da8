using System.Text;
using Google.Protobuf.Reflection;

namespace CsiProxy.Win.Tests;

/// <summary>
/// The wire contract, field for field: the generated descriptors must render to exactly the table below, written
/// from the published csi-proxy v1 API (client/api/&lt;group&gt;/&lt;version&gt;/api.proto). A Go driver built against
/// upstream's protos talks to this server only if package, service, method, field names, numbers and types all match.
/// </summary>
public sealed class ProtoDescriptorTests
{
    public static TheoryData<string> Files => ["disk/v1", "volume/v1", "filesystem/v1", "smb/v1", "system/v1alpha1"];

    [Theory]
    [MemberData(nameof(Files))]
    public void Generated_descriptor_matches_the_published_api(string file)
    {
        var descriptor = file switch
        {
            "disk/v1" => Api.DiskV1.ApiReflection.Descriptor,
            "volume/v1" => Api.VolumeV1.ApiReflection.Descriptor,
            "filesystem/v1" => Api.FilesystemV1.ApiReflection.Descriptor,
            "smb/v1" => Api.SmbV1.ApiReflection.Descriptor,
            _ => Api.SystemV1Alpha1.ApiReflection.Descriptor,
        };

        Assert.Equal(Expected[file].Trim().ReplaceLineEndings("\n"), Render(descriptor).Trim());
    }

    private static string Render(FileDescriptor file)
    {
        var text = new StringBuilder();
        text.Append("package ").Append(file.Package).Append('\n');
        foreach (var service in file.Services)
        {
            text.Append("service ").Append(service.FullName).Append('\n');
            foreach (var method in service.Methods)
            {
                text.Append($"  rpc {method.Name}({method.InputType.FullName}) returns ({method.OutputType.FullName})\n");
            }
        }
        foreach (var message in file.MessageTypes)
        {
            text.Append("message ").Append(message.FullName).Append('\n');
            foreach (var field in message.Fields.InDeclarationOrder())
            {
                text.Append($"  {TypeOf(field)} {field.Name} = {field.FieldNumber}\n");
            }
        }
        foreach (var enumType in file.EnumTypes)
        {
            text.Append("enum ").Append(enumType.FullName).Append('\n');
            foreach (var value in enumType.Values)
            {
                text.Append($"  {value.Name} = {value.Number}\n");
            }
        }
        return text.ToString();
    }

    private static string TypeOf(FieldDescriptor field)
    {
        if (field.IsMap)
        {
            var entry = field.MessageType;
            return $"map<{TypeOf(entry.FindFieldByNumber(1))}, {TypeOf(entry.FindFieldByNumber(2))}>";
        }
        var type = field.FieldType switch
        {
            FieldType.Message => field.MessageType.FullName,
            FieldType.Enum => field.EnumType.FullName,
            _ => field.FieldType.ToString().ToLowerInvariant(),
        };
        return field.IsRepeated ? "repeated " + type : type;
    }

    private static readonly Dictionary<string, string> Expected = new()
    {
        ["disk/v1"] = """
            package v1
            service v1.Disk
              rpc ListDiskLocations(v1.ListDiskLocationsRequest) returns (v1.ListDiskLocationsResponse)
              rpc PartitionDisk(v1.PartitionDiskRequest) returns (v1.PartitionDiskResponse)
              rpc Rescan(v1.RescanRequest) returns (v1.RescanResponse)
              rpc ListDiskIDs(v1.ListDiskIDsRequest) returns (v1.ListDiskIDsResponse)
              rpc GetDiskStats(v1.GetDiskStatsRequest) returns (v1.GetDiskStatsResponse)
              rpc SetDiskState(v1.SetDiskStateRequest) returns (v1.SetDiskStateResponse)
              rpc GetDiskState(v1.GetDiskStateRequest) returns (v1.GetDiskStateResponse)
            message v1.ListDiskLocationsRequest
            message v1.DiskLocation
              string Adapter = 1
              string Bus = 2
              string Target = 3
              string LUNID = 4
            message v1.ListDiskLocationsResponse
              map<uint32, v1.DiskLocation> disk_locations = 1
            message v1.PartitionDiskRequest
              uint32 disk_number = 1
            message v1.PartitionDiskResponse
            message v1.RescanRequest
            message v1.RescanResponse
            message v1.ListDiskIDsRequest
            message v1.DiskIDs
              string page83 = 1
              string serial_number = 2
            message v1.ListDiskIDsResponse
              map<uint32, v1.DiskIDs> diskIDs = 1
            message v1.GetDiskStatsRequest
              uint32 disk_number = 1
            message v1.GetDiskStatsResponse
              int64 total_bytes = 1
            message v1.SetDiskStateRequest
              uint32 disk_number = 1
              bool is_online = 2
            message v1.SetDiskStateResponse
            message v1.GetDiskStateRequest
              uint32 disk_number = 1
            message v1.GetDiskStateResponse
              bool is_online = 1
            """,
        ["volume/v1"] = """
            package v1
            service v1.Volume
              rpc ListVolumesOnDisk(v1.ListVolumesOnDiskRequest) returns (v1.ListVolumesOnDiskResponse)
              rpc MountVolume(v1.MountVolumeRequest) returns (v1.MountVolumeResponse)
              rpc UnmountVolume(v1.UnmountVolumeRequest) returns (v1.UnmountVolumeResponse)
              rpc IsVolumeFormatted(v1.IsVolumeFormattedRequest) returns (v1.IsVolumeFormattedResponse)
              rpc FormatVolume(v1.FormatVolumeRequest) returns (v1.FormatVolumeResponse)
              rpc ResizeVolume(v1.ResizeVolumeRequest) returns (v1.ResizeVolumeResponse)
              rpc GetVolumeStats(v1.GetVolumeStatsRequest) returns (v1.GetVolumeStatsResponse)
              rpc GetDiskNumberFromVolumeID(v1.GetDiskNumberFromVolumeIDRequest) returns (v1.GetDiskNumberFromVolumeIDResponse)
              rpc GetVolumeIDFromTargetPath(v1.GetVolumeIDFromTargetPathRequest) returns (v1.GetVolumeIDFromTargetPathResponse)
              rpc WriteVolumeCache(v1.WriteVolumeCacheRequest) returns (v1.WriteVolumeCacheResponse)
            message v1.ListVolumesOnDiskRequest
              uint32 disk_number = 1
              uint32 partition_number = 2
            message v1.ListVolumesOnDiskResponse
              repeated string volume_ids = 1
            message v1.MountVolumeRequest
              string volume_id = 1
              string target_path = 2
            message v1.MountVolumeResponse
            message v1.UnmountVolumeRequest
              string volume_id = 1
              string target_path = 2
            message v1.UnmountVolumeResponse
            message v1.IsVolumeFormattedRequest
              string volume_id = 1
            message v1.IsVolumeFormattedResponse
              bool formatted = 1
            message v1.FormatVolumeRequest
              string volume_id = 1
            message v1.FormatVolumeResponse
            message v1.ResizeVolumeRequest
              string volume_id = 1
              int64 size_bytes = 2
            message v1.ResizeVolumeResponse
            message v1.GetVolumeStatsRequest
              string volume_id = 1
            message v1.GetVolumeStatsResponse
              int64 total_bytes = 1
              int64 used_bytes = 2
            message v1.GetDiskNumberFromVolumeIDRequest
              string volume_id = 1
            message v1.GetDiskNumberFromVolumeIDResponse
              uint32 disk_number = 1
            message v1.GetVolumeIDFromTargetPathRequest
              string target_path = 1
            message v1.GetVolumeIDFromTargetPathResponse
              string volume_id = 1
            message v1.WriteVolumeCacheRequest
              string volume_id = 1
            message v1.WriteVolumeCacheResponse
            """,
        ["filesystem/v1"] = """
            package v1
            service v1.Filesystem
              rpc PathExists(v1.PathExistsRequest) returns (v1.PathExistsResponse)
              rpc Mkdir(v1.MkdirRequest) returns (v1.MkdirResponse)
              rpc Rmdir(v1.RmdirRequest) returns (v1.RmdirResponse)
              rpc CreateSymlink(v1.CreateSymlinkRequest) returns (v1.CreateSymlinkResponse)
              rpc IsSymlink(v1.IsSymlinkRequest) returns (v1.IsSymlinkResponse)
            message v1.PathExistsRequest
              string path = 1
            message v1.PathExistsResponse
              bool exists = 1
            message v1.MkdirRequest
              string path = 1
            message v1.MkdirResponse
            message v1.RmdirRequest
              string path = 1
              bool force = 2
            message v1.RmdirResponse
            message v1.CreateSymlinkRequest
              string source_path = 1
              string target_path = 2
            message v1.CreateSymlinkResponse
            message v1.IsSymlinkRequest
              string path = 1
            message v1.IsSymlinkResponse
              bool is_symlink = 1
            """,
        ["smb/v1"] = """
            package v1
            service v1.Smb
              rpc NewSmbGlobalMapping(v1.NewSmbGlobalMappingRequest) returns (v1.NewSmbGlobalMappingResponse)
              rpc RemoveSmbGlobalMapping(v1.RemoveSmbGlobalMappingRequest) returns (v1.RemoveSmbGlobalMappingResponse)
            message v1.NewSmbGlobalMappingRequest
              string remote_path = 1
              string local_path = 2
              string username = 3
              string password = 4
            message v1.NewSmbGlobalMappingResponse
            message v1.RemoveSmbGlobalMappingRequest
              string remote_path = 1
            message v1.RemoveSmbGlobalMappingResponse
            """,
        ["system/v1alpha1"] = """
            package v1alpha1
            service v1alpha1.System
              rpc GetBIOSSerialNumber(v1alpha1.GetBIOSSerialNumberRequest) returns (v1alpha1.GetBIOSSerialNumberResponse)
              rpc StartService(v1alpha1.StartServiceRequest) returns (v1alpha1.StartServiceResponse)
              rpc StopService(v1alpha1.StopServiceRequest) returns (v1alpha1.StopServiceResponse)
              rpc GetService(v1alpha1.GetServiceRequest) returns (v1alpha1.GetServiceResponse)
            message v1alpha1.GetBIOSSerialNumberRequest
            message v1alpha1.GetBIOSSerialNumberResponse
              string serial_number = 1
            message v1alpha1.StartServiceRequest
              string name = 1
            message v1alpha1.StartServiceResponse
            message v1alpha1.StopServiceRequest
              string name = 1
              bool force = 2
            message v1alpha1.StopServiceResponse
            message v1alpha1.GetServiceRequest
              string name = 1
            message v1alpha1.GetServiceResponse
              string display_name = 1
              v1alpha1.StartType start_type = 2
              v1alpha1.ServiceStatus status = 3
            enum v1alpha1.ServiceStatus
              UNKNOWN = 0
              STOPPED = 1
              START_PENDING = 2
              STOP_PENDING = 3
              RUNNING = 4
              CONTINUE_PENDING = 5
              PAUSE_PENDING = 6
              PAUSED = 7
            enum v1alpha1.StartType
              BOOT = 0
              SYSTEM = 1
              AUTOMATIC = 2
              MANUAL = 3
              DISABLED = 4
            """,
    };
}
