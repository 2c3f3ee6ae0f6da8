using System.Text;

namespace CsiProxy.Win.Hosts;

/// <summary>Formats the identifier of a SCSI page 0x83 descriptor as upstream reports it: printable ASCII as text, anything else as lower-case hex.</summary>
public static class DiskIdentifiers
{
    public static string FormatPage83(ReadOnlySpan<byte> identifier)
    {
        foreach (var b in identifier)
        {
            if (b is < 0x20 or > 0x7e)
            {
                return Convert.ToHexStringLower(identifier);
            }
        }
        return Encoding.ASCII.GetString(identifier);
    }
}
