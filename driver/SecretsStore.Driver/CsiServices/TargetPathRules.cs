namespace SecretsStore.Driver.CsiServices;

/// <summary>
/// What kubelet's target path must look like on the node's operating system, checked as text before any path call:
/// absolute, no '..' element, not a root, within the file system's limits. Each message names target_path and says
/// what kubelet's path looks like. Pure string rules, so a Linux machine checks the Windows ones too.
/// </summary>
public sealed class TargetPathRules
{
    /// <summary>PATH_MAX and NAME_MAX of Linux: a longer path fails in the kernel, so it fails here first, by name.</summary>
    private const int LinuxMaxPathLength = 4095;

    /// <summary>Windows' limit with long paths enabled (.NET asks for them); most tools still stop at 260.</summary>
    private const int WindowsMaxPathLength = 32767;

    private const int MaxNameLength = 255;

    private const string WindowsExample = @"c:\var\lib\kubelet\pods\<uid>\volumes\kubernetes.io~csi\<volume>\mount";

    private static readonly char[] WindowsSeparators = ['\\', '/'];

    // After the drive: ':' would name a stream or a second drive; the rest Windows cannot store.
    private static readonly System.Buffers.SearchValues<char> WindowsReserved = System.Buffers.SearchValues.Create(":*?\"<>|");

    private readonly bool _windows;

    private TargetPathRules(bool windows)
    {
        _windows = windows;
    }

    /// <summary>A Linux node's rules: '/'-separated, starting at '/'.</summary>
    public static TargetPathRules Linux { get; } = new(windows: false);

    /// <summary>A Windows node's rules: a drive letter, '\' or '/' separators; UNC and device paths are refused.</summary>
    public static TargetPathRules Windows { get; } = new(windows: true);

    /// <summary>Returns why kubelet's <paramref name="targetPath"/> (not empty, no NUL) is refused, or null when it is fine.</summary>
    public string? Check(string targetPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetPath);
        return _windows ? CheckWindows(targetPath) : CheckLinux(targetPath);
    }

    private static string? CheckLinux(string targetPath)
    {
        if (targetPath.Length > LinuxMaxPathLength || targetPath.Split('/').Any(s => s.Length > MaxNameLength))
        {
            return $"target_path is too long: at most {LinuxMaxPathLength} characters, {MaxNameLength} per path element";
        }
        if (targetPath[0] != '/')
        {
            return $"target_path \"{NodePublishValidation.Printable(targetPath)}\" is not an absolute path";
        }
        if (targetPath.Split('/').Contains(".."))
        {
            return $"target_path \"{NodePublishValidation.Printable(targetPath)}\" must not contain '..'";
        }
        if (targetPath.Trim('/').Length == 0)
        {
            return "target_path \"/\" is the root directory; kubelet's target is a directory inside the pod's volume directory";
        }
        return null;
    }

    private static string? CheckWindows(string targetPath)
    {
        var printable = NodePublishValidation.Printable(targetPath);
        var segments = targetPath.Split(WindowsSeparators);
        if (targetPath.Length > WindowsMaxPathLength || segments.Any(s => s.Length > MaxNameLength))
        {
            return $"target_path is too long: at most {WindowsMaxPathLength} characters, {MaxNameLength} per path element";
        }
        if (targetPath.Length >= 2 && Array.IndexOf(WindowsSeparators, targetPath[0]) >= 0 && Array.IndexOf(WindowsSeparators, targetPath[1]) >= 0)
        {
            return $"target_path \"{printable}\" is a UNC or device path; kubelet's target on a Windows node is a local path such as {WindowsExample}";
        }
        if (targetPath.Length < 3 || !char.IsAsciiLetter(targetPath[0]) || targetPath[1] != ':' || Array.IndexOf(WindowsSeparators, targetPath[2]) < 0)
        {
            return $"target_path \"{printable}\" is not an absolute path with a drive letter, such as {WindowsExample}";
        }
        if (targetPath.AsSpan(2).IndexOfAny(WindowsReserved) >= 0 || targetPath.Any(char.IsControl))
        {
            return $"target_path \"{printable}\" holds a character Windows does not allow in a path (: * ? \" < > | or a control character)";
        }
        var names = segments.Skip(1).Where(s => s.Length > 0).ToArray();
        if (names.Contains(".."))
        {
            return $"target_path \"{printable}\" must not contain '..'";
        }
        if (names.Any(s => s[^1] is '.' or ' '))
        {
            // Windows drops trailing dots and spaces, so such an element would not name what it says ("..." and ".. " climb).
            return $"target_path \"{printable}\" has an element ending with '.' or a space, which Windows drops; kubelet's target looks like {WindowsExample}";
        }
        if (names.Length == 0)
        {
            return $"target_path \"{printable}\" is the root of a drive; kubelet's target is a directory inside the pod's volume directory";
        }
        return null;
    }
}
