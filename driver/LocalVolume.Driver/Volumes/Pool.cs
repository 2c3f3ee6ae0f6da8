using LocalVolume.Driver.Layouts;
using LocalVolume.Driver.Pools;
using LocalVolume.Driver.State;

namespace LocalVolume.Driver.Volumes;

/// <summary>A configured pool at run time: its layout and its loaded state.</summary>
public sealed class Pool
{
    public Pool(PoolDefinition definition, IPoolLayout layout)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition;
        Layout = layout;
        StateFile = new PoolStateFile(definition.Directory);
    }

    public PoolDefinition Definition { get; }

    public string Name => Definition.Name;

    public IPoolLayout Layout { get; }

    public PoolStateFile StateFile { get; }

    public PoolState State { get; set; } = new();

    /// <summary>The stamp of the state file when it was last read or written by this process.</summary>
    public (DateTime, long) LoadedStamp { get; set; }

    /// <summary>Every byte promised: volumes and snapshots in any phase (one being made has reserved its size).</summary>
    public long ReservedBytes => State.Volumes.Sum(v => v.CapacityBytes) + State.Snapshots.Sum(s => s.SizeBytes);

    public static IPoolLayout CreateLayout(PoolDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.Layout == PoolLayout.Subvolume ? new SubvolumeLayout(definition) : new ImageLayout(definition);
    }
}
