namespace Csi.Common.Mounting;

/// <summary>
/// mount(8)-style options split the way mount(2) takes them: the generic ones become MS_* flags, the rest
/// (filesystem specific, like <c>nouuid</c> or <c>discard</c>) stay as the comma-separated data string.
/// </summary>
public sealed class MountOptions
{
    public const ulong ReadOnlyFlag = 0x1;
    public const ulong NoSuidFlag = 0x2;
    public const ulong NoDevFlag = 0x4;
    public const ulong NoExecFlag = 0x8;
    public const ulong SynchronousFlag = 0x10;
    public const ulong RemountFlag = 0x20;
    public const ulong DirSyncFlag = 0x80;
    public const ulong NoAtimeFlag = 0x400;
    public const ulong NoDirAtimeFlag = 0x800;
    public const ulong BindFlag = 0x1000;
    public const ulong RelAtimeFlag = 0x200000;
    public const ulong StrictAtimeFlag = 0x1000000;
    public const ulong LazyTimeFlag = 0x2000000;

    private static readonly Dictionary<string, ulong> Set = new(StringComparer.Ordinal)
    {
        ["ro"] = ReadOnlyFlag,
        ["nosuid"] = NoSuidFlag,
        ["nodev"] = NoDevFlag,
        ["noexec"] = NoExecFlag,
        ["sync"] = SynchronousFlag,
        ["dirsync"] = DirSyncFlag,
        ["noatime"] = NoAtimeFlag,
        ["nodiratime"] = NoDirAtimeFlag,
        ["relatime"] = RelAtimeFlag,
        ["strictatime"] = StrictAtimeFlag,
        ["lazytime"] = LazyTimeFlag,
    };

    // Options that only state a default: accepted, no flag.
    private static readonly HashSet<string> Defaults = new(StringComparer.Ordinal)
    {
        "rw", "suid", "dev", "exec", "async", "atime", "diratime", "defaults",
    };

    private MountOptions(ulong flags, string data)
    {
        Flags = flags;
        Data = data;
    }

    /// <summary>MS_* bits for mount(2).</summary>
    public ulong Flags { get; }

    /// <summary>The filesystem-specific rest, comma-separated; empty when there is none.</summary>
    public string Data { get; }

    public bool ReadOnly => (Flags & ReadOnlyFlag) != 0;

    /// <summary>Splits options; each entry may itself hold several comma-separated options, as CSI mount_flags may.</summary>
    public static MountOptions Parse(IEnumerable<string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ulong flags = 0;
        var data = new List<string>();
        foreach (var option in options.SelectMany(o => o.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (Set.TryGetValue(option, out var flag))
            {
                flags |= flag;
            }
            else if (!Defaults.Contains(option))
            {
                data.Add(option);
            }
        }
        return new MountOptions(flags, string.Join(',', data));
    }

    /// <summary>These options with read-only added.</summary>
    public MountOptions WithReadOnly() => new(Flags | ReadOnlyFlag, Data);
}
