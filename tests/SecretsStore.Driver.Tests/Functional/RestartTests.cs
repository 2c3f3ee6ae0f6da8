using Csi.Testing;

namespace SecretsStore.Driver.Tests.Functional;

/// <summary>
/// A driver restarted (a new driver over the same directories; the mounts stay): it knows the volumes it
/// published before from their metadata, so a republish is due or not due like any other and carries the
/// object versions held before, and an unpublish works.
/// </summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Republish_AfterARestart_BeforeTheInterval_CallsNoProvider_AndUnpublishWorks()
    {
        await using var h = await DriverHarness.StartAsync("--enable-secret-rotation", "--rotation-poll-interval=1h");
        h.WriteClass("spc");
        h.ServeFiles(("a", "s3cr3t-content"));
        var target = h.NewTarget();
        var request = DriverHarness.PublishRequest(target);
        request.VolumeContext[Csi.Common.VolumeContextKeys.ServiceAccountTokens] = "{\"vault\":{\"token\":\"jwt-xyz\"}}";
        await h.PublishAsync(request);
        var metadata = File.ReadAllText(Assert.Single(Directory.GetFiles(h.StateDir)));
        Assert.Contains("\"web-sa\"", metadata, StringComparison.Ordinal);
        Assert.Contains("\"v-s3cr3t-content\"", metadata, StringComparison.Ordinal);
        Assert.DoesNotContain("\"s3cr3t-content\"", metadata, StringComparison.Ordinal);
        Assert.DoesNotContain("jwt-xyz", metadata, StringComparison.Ordinal);
        // Nothing of it in the pod's view of the volume.
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(target, "*", SearchOption.AllDirectories), e => e.EndsWith(".json", StringComparison.Ordinal));

        await h.RestartDriverAsync();
        await h.PublishAsync(request);

        Assert.Single(h.ProviderService.Requests);
        Assert.Equal("s3cr3t-content", File.ReadAllText(Path.Combine(target, "a")));
        await h.UnpublishAsync(target);
        Assert.Null(MountTable.At(target));
        Assert.False(Directory.Exists(target));
        Assert.Empty(Directory.GetFiles(h.StateDir));
    }

    [Fact]
    public async Task Republish_AfterARestart_WhenDue_CarriesTheVersionsHeldBefore()
    {
        await using var h = await DriverHarness.StartAsync("--enable-secret-rotation", "--rotation-poll-interval=1ms");
        h.WriteClass("spc");
        h.ServeFiles(("a", "1"), ("b", "1"));
        var target = h.NewTarget();
        await h.PublishAsync(DriverHarness.PublishRequest(target));

        await h.RestartDriverAsync();
        h.ServeFiles(("a", "1"), ("b", "2"));
        await h.PublishAsync(DriverHarness.PublishRequest(target));

        Assert.Equal(2, h.ProviderService.Requests.Count);
        var afterRestart = h.ProviderService.Requests.Last();
        Assert.Equal([("secret/a", "v-1"), ("secret/b", "v-1")], afterRestart.CurrentObjectVersion.Select(v => (v.Id, v.Version)));
        Assert.Equal("2", File.ReadAllText(Path.Combine(target, "b")));
        Assert.Contains("\"v-2\"", File.ReadAllText(Assert.Single(Directory.GetFiles(h.StateDir))), StringComparison.Ordinal);
        await h.UnpublishAsync(target);
        Assert.Null(MountTable.At(target));
    }

    [Fact]
    public async Task Restart_DropsTheMetadataOfAVolumeNoLongerMounted()
    {
        await using var h = await DriverHarness.StartAsync("--enable-secret-rotation", "--rotation-poll-interval=1h");
        h.WriteClass("spc");
        h.ServeFiles(("a", "1"));
        var target = h.NewTarget();
        await h.PublishAsync(DriverHarness.PublishRequest(target));
        MountTable.UnmountBeneath(Path.GetDirectoryName(target)!);

        await h.RestartDriverAsync();

        Assert.Empty(Directory.GetFiles(h.StateDir));
    }
}
