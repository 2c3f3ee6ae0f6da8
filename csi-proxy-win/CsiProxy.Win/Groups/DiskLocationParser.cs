using CsiProxy.Win.Api.DiskV1;

namespace CsiProxy.Win.Groups;

/// <summary>Reads MSFT_Disk.Location, "PCI Slot 3 : Adapter 0 : Port 0 : Target 1 : LUN 0", into a <see cref="DiskLocation"/> (the port is the bus).</summary>
public static class DiskLocationParser
{
    public static DiskLocation? Parse(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var fields = location.Split(':', StringSplitOptions.TrimEntries);
        if (fields.Length < 5)
        {
            return null;
        }
        var result = new DiskLocation();
        foreach (var field in fields)
        {
            var space = field.LastIndexOf(' ');
            if (space <= 0)
            {
                continue;
            }
            var (name, value) = (field[..space], field[(space + 1)..]);
            switch (name.ToUpperInvariant())
            {
                case "ADAPTER":
                    result.Adapter = value;
                    break;
                case "PORT":
                    result.Bus = value;
                    break;
                case "TARGET":
                    result.Target = value;
                    break;
                case "LUN":
                    result.LUNID = value;
                    break;
            }
        }
        return result;
    }
}
