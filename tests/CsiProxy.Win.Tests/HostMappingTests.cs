using CsiProxy.Win.Api.SystemV1Alpha1;
using CsiProxy.Win.Groups;
using CsiProxy.Win.Hosts;

namespace CsiProxy.Win.Tests;

public sealed class HostMappingTests
{
    [Fact]
    public void Disk_location_reads_adapter_port_target_and_lun()
    {
        var location = DiskLocationParser.Parse("PCI Slot 3 : Adapter 0 : Port 2 : Target 1 : LUN 7");

        Assert.NotNull(location);
        Assert.Equal(("0", "2", "1", "7"), (location.Adapter, location.Bus, location.Target, location.LUNID));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Integrated : Adapter 0 : Port 0")]
    public void Disk_location_with_fewer_than_five_fields_is_skipped(string text)
        => Assert.Null(DiskLocationParser.Parse(text));

    [Fact]
    public void Page83_picks_the_device_NAA_identifier_over_vendor_and_port_ones()
    {
        var descriptor = Descriptor(
            (Type: 1, Association: 0, Id: "VENDOR  PRODUCT"u8.ToArray()),
            (Type: 3, Association: 1, Id: [0x60, 0x00, 0x00, 0x01]),
            (Type: 3, Association: 0, Id: [0x60, 0x02, 0x24, 0x80, 0xab, 0xcd, 0xef, 0x01]));

        Assert.Equal("60022480abcdef01", StorageDeviceIdParser.Page83(descriptor));
    }

    [Fact]
    public void Page83_keeps_a_printable_identifier_as_text()
        => Assert.Equal("VENDOR  PRODUCT", StorageDeviceIdParser.Page83(Descriptor((1, 0, "VENDOR  PRODUCT"u8.ToArray()))));

    [Fact]
    public void Page83_of_a_truncated_or_empty_descriptor_is_null()
    {
        var full = Descriptor((3, 0, new byte[] { 1, 2, 3, 4 }));

        Assert.Null(StorageDeviceIdParser.Page83(full.AsSpan(0, full.Length - 2)));
        Assert.Null(StorageDeviceIdParser.Page83([]));
        Assert.Null(StorageDeviceIdParser.Page83(Descriptor()));
    }

    [Theory]
    [InlineData("Running", ServiceStatus.Running)]
    [InlineData("Stopped", ServiceStatus.Stopped)]
    [InlineData("Start Pending", ServiceStatus.StartPending)]
    [InlineData("Stop Pending", ServiceStatus.StopPending)]
    [InlineData("Paused", ServiceStatus.Paused)]
    [InlineData("Pause Pending", ServiceStatus.PausePending)]
    [InlineData("Continue Pending", ServiceStatus.ContinuePending)]
    [InlineData("Degraded", ServiceStatus.Unknown)]
    public void Service_state_maps_to_the_status_enum(string state, ServiceStatus status)
        => Assert.Equal(status, ServiceMapping.Status(state));

    [Theory]
    [InlineData("Boot", StartType.Boot)]
    [InlineData("System", StartType.System)]
    [InlineData("Auto", StartType.Automatic)]
    [InlineData("Manual", StartType.Manual)]
    [InlineData("Disabled", StartType.Disabled)]
    public void Service_start_mode_maps_to_the_start_type_enum(string mode, StartType type)
        => Assert.Equal(type, ServiceMapping.StartType(mode));

    /// <summary>A STORAGE_DEVICE_ID_DESCRIPTOR with the given STORAGE_IDENTIFIERs (code set binary).</summary>
    private static byte[] Descriptor(params (int Type, int Association, byte[] Id)[] identifiers)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write(1);
        writer.Write(0);
        writer.Write(identifiers.Length);
        for (var i = 0; i < identifiers.Length; i++)
        {
            var (type, association, id) = identifiers[i];
            var size = 16 + id.Length;
            var next = i == identifiers.Length - 1 ? 0 : (size + 3) & ~3;
            writer.Write(1);
            writer.Write(type);
            writer.Write((ushort)id.Length);
            writer.Write((ushort)next);
            writer.Write(association);
            writer.Write(id);
            for (var pad = size; pad < next; pad++)
            {
                writer.Write((byte)0);
            }
        }
        return stream.ToArray();
    }
}
