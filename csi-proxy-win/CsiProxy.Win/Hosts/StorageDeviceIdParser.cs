using System.Buffers.Binary;

namespace CsiProxy.Win.Hosts;

/// <summary>
/// Reads a STORAGE_DEVICE_ID_DESCRIPTOR (the answer of IOCTL_STORAGE_QUERY_PROPERTY for StorageDeviceIdProperty,
/// i.e. SCSI VPD page 0x83) and picks the device's identifier: associated with the device, of the strongest type
/// present (NAA, then EUI-64, then SCSI name string, then vendor id). Bounds are checked against the buffer.
/// </summary>
public static class StorageDeviceIdParser
{
    private const int HeaderSize = 12;
    private const int IdentifierHeaderSize = 16;
    private const int AssociationDevice = 0;

    // STORAGE_IDENTIFIER_TYPE values, strongest first.
    private static readonly int[] TypePreference = [3, 2, 8, 1];

    public static string? Page83(ReadOnlySpan<byte> descriptor)
    {
        if (descriptor.Length < HeaderSize)
        {
            return null;
        }
        var count = BinaryPrimitives.ReadUInt32LittleEndian(descriptor[8..]);
        var best = -1;
        string? bestValue = null;
        var offset = HeaderSize;
        for (var i = 0; i < count && offset + IdentifierHeaderSize <= descriptor.Length; i++)
        {
            var entry = descriptor[offset..];
            var type = (int)BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]);
            var size = BinaryPrimitives.ReadUInt16LittleEndian(entry[8..]);
            var next = BinaryPrimitives.ReadUInt16LittleEndian(entry[10..]);
            var association = BinaryPrimitives.ReadUInt32LittleEndian(entry[12..]);
            if (IdentifierHeaderSize + size > entry.Length)
            {
                break;
            }
            var rank = Array.IndexOf(TypePreference, type);
            if (association == AssociationDevice && rank >= 0 && (best < 0 || rank < best))
            {
                best = rank;
                bestValue = DiskIdentifiers.FormatPage83(entry.Slice(IdentifierHeaderSize, size));
            }
            if (next == 0)
            {
                break;
            }
            offset += next;
        }
        return bestValue;
    }
}
