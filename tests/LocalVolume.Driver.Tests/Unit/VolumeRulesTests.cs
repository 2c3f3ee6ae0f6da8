using LocalVolume.Driver.Volumes;

namespace LocalVolume.Driver.Tests.Unit;

public sealed class VolumeRulesTests
{
    private const long MiB = 1L << 20;

    [Theory]
    [InlineData("vol-0123456789abcdef0123456789abcdef", true)]
    [InlineData("vol-0123456789ABCDEF0123456789abcdef", false)]
    [InlineData("vol-0123456789abcdef0123456789abcde", false)]
    [InlineData("vol-0123456789abcdef0123456789abcdef/..", false)]
    [InlineData("..", false)]
    [InlineData("snap-0123456789abcdef0123456789abcdef", false)]
    [InlineData("", false)]
    public void VolumeIds_HaveOneFixedForm(string id, bool valid)
        => Assert.Equal(valid, ObjectId.IsVolumeId(id));

    [Fact]
    public void IssuedIds_AreValidAndDistinct()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => ObjectId.NewVolumeId()).ToList();
        Assert.All(ids, id => Assert.True(ObjectId.IsVolumeId(id)));
        Assert.Equal(100, ids.Distinct().Count());
        Assert.True(ObjectId.IsSnapshotId(ObjectId.NewSnapshotId()));
    }

    [Theory]
    [InlineData(0, 0, MiB, 1L << 30)]
    [InlineData(1, 0, MiB, MiB)]
    [InlineData(MiB + 1, 0, MiB, 2 * MiB)]
    [InlineData(100 * MiB, 0, 300 * MiB, 300 * MiB)]
    [InlineData(MiB + 1, MiB + 100, MiB, MiB + 1)]
    [InlineData(0, 10 * MiB, MiB, 10 * MiB)]
    public void Size_IsTheRequiredRoundedUpToWholeMiBAndTheFloor(long required, long limit, long floor, long expected)
        => Assert.Equal(expected, SizeRules.Choose(required, limit, floor, "capacity_range"));

    [Theory]
    [InlineData(10 * MiB, 5 * MiB, MiB)]
    [InlineData(0, 100 * MiB, 300 * MiB)]
    public void RangeThatCannotBeMet_IsOutOfRange(long required, long limit, long floor)
    {
        var error = Assert.Throws<VolumeException>(() => SizeRules.Choose(required, limit, floor, "capacity_range"));
        Assert.Equal(VolumeErrorKind.OutOfRange, error.Kind);
        Assert.StartsWith("capacity_range:", error.Message);
    }
}
