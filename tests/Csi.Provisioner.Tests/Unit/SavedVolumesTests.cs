using Csi.Provisioner.Controllers;
using Microsoft.Extensions.Time.Testing;

namespace Csi.Provisioner.Tests.Unit;

public class SavedVolumesTests
{
    [Fact]
    public void ASavedVolume_IsKnown_UntilTheWindowPasses_OrTheInformerShowsIt()
    {
        var time = new FakeTimeProvider();
        var saved = new SavedVolumes(time, TimeSpan.FromSeconds(30));
        saved.Add("pvc-1");
        saved.Add("pvc-2");

        Assert.True(saved.Contains("pvc-1"));
        Assert.False(saved.Contains("pvc-3"));
        saved.Remove("pvc-2");
        Assert.False(saved.Contains("pvc-2"));

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(saved.Contains("pvc-1"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(saved.Contains("pvc-1"));
        Assert.Equal(0, saved.Count);
    }

    [Fact]
    public void ManyEntries_ArePurgedOfThoseOutsideTheWindow()
    {
        var time = new FakeTimeProvider();
        var saved = new SavedVolumes(time, TimeSpan.FromSeconds(30));
        for (var i = 0; i < 4096; i++)
        {
            saved.Add($"old-{i}");
        }
        time.Advance(TimeSpan.FromMinutes(1));
        saved.Add("new-0");
        saved.Add("new-1");

        Assert.Equal(2, saved.Count);
        Assert.True(saved.Contains("new-1"));
    }
}
