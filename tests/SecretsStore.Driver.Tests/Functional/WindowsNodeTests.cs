using Csi.Common.Mounting;
using Csi.Testing;
using Grpc.Core;
using SecretsStore.Driver.CsiServices;
using File = System.IO.File;

namespace SecretsStore.Driver.Tests.Functional;

/// <summary>
/// The real driver over its CSI socket with a Windows node's mount layer and labels: volumes are plain directories,
/// written by the same atomic writer, and counted as mounted once they hold files. Paths are this machine's, so the
/// files land on this disk as they would on the node's.
/// </summary>
public sealed class WindowsNodeTests : IAsyncLifetime
{
    private static readonly NodePlatform WindowsMountsOnTheseFiles = new("windows", TargetPathRules.Linux, secretsOnNodeDisk: true, () => new WindowsMounter());

    private DriverHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await DriverHarness.StartOnPlatformAsync(WindowsMountsOnTheseFiles, "--enable-secret-rotation", "--rotation-poll-interval=1ms");
        _h.WriteClass("spc");
        _h.ServeFiles(("username", "admin"), ("certs/tls.crt", "CERT"));
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Publish_WritesTheFilesIntoAPlainDirectoryThroughDataLinks_AndUnpublishRemovesIt()
    {
        var target = _h.NewTarget();

        await _h.PublishAsync(DriverHarness.PublishRequest(target));

        Assert.Null(DriverHarness.MountAt(target));
        Assert.Equal("admin", File.ReadAllText(Path.Combine(target, "username")));
        Assert.Equal("CERT", File.ReadAllText(Path.Combine(target, "certs", "tls.crt")));
        Assert.Equal("..data/username", new FileInfo(Path.Combine(target, "username")).LinkTarget);
        var payload = new FileInfo(Path.Combine(target, "..data")).LinkTarget;
        Assert.NotNull(payload);
        Assert.True(Directory.Exists(Path.Combine(target, payload)));

        await _h.UnpublishAsync(target);

        Assert.False(Directory.Exists(target));
        Assert.True(Directory.Exists(Path.GetDirectoryName(target)), "kubelet's volume directory stays");
    }

    [Fact]
    public async Task Republish_OfANonEmptyDirectory_IsAMountedVolume_AndRotatesIntoANewPayload()
    {
        var target = _h.NewTarget();
        await _h.PublishAsync(DriverHarness.PublishRequest(target));
        var firstPayload = new FileInfo(Path.Combine(target, "..data")).LinkTarget!;
        _h.ServeFiles(("username", "root"), ("certs/tls.crt", "CERT"));

        await _h.PublishAsync(DriverHarness.PublishRequest(target));

        Assert.Equal(2, _h.ProviderService.MountCalls);
        // A rotation, not a second first publish: the provider got the versions the volume holds.
        Assert.Contains(_h.ProviderService.Requests.Last().CurrentObjectVersion, v => v.Id == "secret/username" && v.Version == "v-admin");
        Assert.Equal("root", File.ReadAllText(Path.Combine(target, "username")));
        var secondPayload = new FileInfo(Path.Combine(target, "..data")).LinkTarget!;
        Assert.NotEqual(firstPayload, secondPayload);
        Assert.False(Directory.Exists(Path.Combine(target, firstPayload)));
        Assert.Equal([secondPayload, "..data", "certs", "username"], Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FirstPublish_ThatFails_LeavesNoDirectoryBehind()
    {
        var target = _h.NewTarget();
        _h.ProviderService.Handler = (_, _) => throw new RpcException(new Status(StatusCode.PermissionDenied, "denied by the store"));

        var error = await _h.PublishFailsAsync(DriverHarness.PublishRequest(target));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task Metrics_CarryTheWindowsOsType()
    {
        var target = _h.NewTarget();
        await _h.PublishAsync(DriverHarness.PublishRequest(target));
        await _h.UnpublishAsync(target);

        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(_h.MetricsAddress, "/metrics"));

        Assert.Contains("node_publish_total{provider=\"test\",os_type=\"windows\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("node_unpublish_total{os_type=\"windows\"} 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("os_type=\"linux\"", text, StringComparison.Ordinal);
        // Through the Prometheus project's own parser too: the label is where a dashboard reads it.
        var publishes = PrometheusText.Family(PrometheusText.Parse(text), "node_publish");
        Assert.Contains(publishes.Samples, s => s.Labels["os_type"] == "windows" && s.Value == 1);
    }

    [Fact]
    public void AtStart_TheDriverWarnsOnceThatSecretsAreOnTheNodesDisk()
    {
        var warnings = _h.Logs.Lines.Where(l => l.Contains("SecretsOnNodeDisk", StringComparison.Ordinal)).ToArray();

        var warning = Assert.Single(warnings);
        Assert.Contains("no tmpfs", warning, StringComparison.Ordinal);
    }
}
