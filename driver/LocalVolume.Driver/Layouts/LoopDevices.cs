using LocalVolume.Driver.Tools;

namespace LocalVolume.Driver.Layouts;

/// <summary>The loop devices backing image files, through losetup(8).</summary>
public static class LoopDevices
{
    private const string Losetup = "losetup";

    /// <summary>The loop devices that currently serve <paramref name="imageFile"/>.</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(string imageFile, CancellationToken cancellationToken)
    {
        var output = await ExternalCommand.RunCheckedAsync(Losetup, ["--noheadings", "--output", "NAME,BACK-FILE", "--list"], cancellationToken).ConfigureAwait(false);
        var devices = new List<string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && line[(space + 1)..].Trim() == imageFile)
            {
                devices.Add(line[..space]);
            }
        }
        return devices;
    }

    /// <summary>The loop device serving the file, attaching one if none does.</summary>
    public static async Task<(string Device, bool Attached)> AttachAsync(string imageFile, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(imageFile, cancellationToken).ConfigureAwait(false);
        if (existing.Count > 0)
        {
            return (existing[0], false);
        }
        var device = await ExternalCommand.RunCheckedAsync(Losetup, ["--find", "--show", imageFile], cancellationToken).ConfigureAwait(false);
        return (device.Trim(), true);
    }

    /// <summary>Detaches every loop device of the file; one still in use is detached when its last user closes it.</summary>
    public static async Task DetachAllAsync(string imageFile, CancellationToken cancellationToken)
    {
        foreach (var device in await FindAsync(imageFile, cancellationToken).ConfigureAwait(false))
        {
            await DetachAsync(device, cancellationToken).ConfigureAwait(false);
        }
    }

    public static Task DetachAsync(string device, CancellationToken cancellationToken)
        => ExternalCommand.RunCheckedAsync(Losetup, ["--detach", device], cancellationToken);

    /// <summary>Makes the device take the image file's current size.</summary>
    public static Task RefreshSizeAsync(string device, CancellationToken cancellationToken)
        => ExternalCommand.RunCheckedAsync(Losetup, ["--set-capacity", device], cancellationToken);
}
