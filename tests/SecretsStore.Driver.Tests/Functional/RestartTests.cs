using Csi.Testing;
using Csi.TestProvider;

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
        await h.UnpublishAsync(h.NewTarget()); // the first call after the restart reads the state

        Assert.Empty(Directory.GetFiles(h.StateDir));
    }

    [Fact]
    public async Task DriverProcess_KilledAndStartedAgain_RepublishIsNotDue_AndUnpublishWorks()
    {
        var root = Directory.CreateTempSubdirectory("ssd-restart-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "spc"));
            File.WriteAllText(Path.Combine(root, "spc", "spc.yaml"), """
                apiVersion: secrets-store.csi.x-k8s.io/v1
                kind: SecretProviderClass
                metadata:
                  name: spc
                spec:
                  provider: test
                  parameters:
                    objects: "- objectName: a"

                """);
            await using var provider = await TestProviderServer.StartAsync(Path.Combine(root, "providers", DriverHarness.ProviderName + ".sock"));
            provider.Service.Handler = (_, _) => Task.FromResult(DriverHarness.Response(("a", "1")));
            var endpoint = "unix://" + Path.Combine(root, "csi.sock");
            string[] flags = [
                "--endpoint", endpoint, "--nodeid", "node-1",
                "--provider-volume", Path.Combine(root, "providers"), "--additional-provider-volume-paths=",
                "--spc-dir", Path.Combine(root, "spc"), "--metrics-addr=", "--state-dir", Path.Combine(root, "state"),
                "--enable-secret-rotation", "--rotation-poll-interval", "1h",
            ];
            var binary = Path.Combine(AppContext.BaseDirectory, "secrets-store-csi-driver");
            var target = Path.Combine(root, "pods", "uid-1", "volumes", "kubernetes.io~csi", "secrets", "mount");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var request = DriverHarness.PublishRequest(target);

            await using (var first = await DriverProcess.StartAsync(binary, flags, endpoint))
            {
                await first.Client.Node.NodePublishVolumeAsync(request);
                await first.Client.Node.NodePublishVolumeAsync(request);
                using var process = System.Diagnostics.Process.GetProcessById(first.Pid);
                process.Kill(); // SIGKILL: no shutdown path runs
                await process.WaitForExitAsync();
            }
            Assert.Equal("tmpfs", MountTable.At(target)?.FileSystemType);

            await using var second = await DriverProcess.StartAsync(binary, flags, endpoint);
            await second.Client.Node.NodePublishVolumeAsync(request);

            Assert.Single(provider.Service.Requests);
            await second.Client.Node.NodeUnpublishVolumeAsync(new Csi.V1.NodeUnpublishVolumeRequest { VolumeId = request.VolumeId, TargetPath = target });
            Assert.Null(MountTable.At(target));
            Assert.False(Directory.Exists(target));
            Assert.Empty(Directory.GetFiles(Path.Combine(root, "state")));
        }
        finally
        {
            MountTable.UnmountBeneath(root);
            Directory.Delete(root, recursive: true);
        }
    }
}
