using Csi.Client;
using Csi.Testing;
using Csi.V1;
using Grpc.Core;

namespace SecretsStore.Driver.Tests.Functional;

/// <summary>Identity, capabilities, unimplemented RPCs, metrics, health, deadlines and log hygiene.</summary>
public sealed class DriverSurfaceTests
{
    [Fact]
    public async Task Identity_ReportsNameVersion_AndOnlyWhatIsImplemented()
    {
        await using var h = await DriverHarness.StartAsync();

        var info = await h.Client.Identity.GetPluginInfoAsync(new GetPluginInfoRequest());
        var capabilities = await h.Client.Identity.GetPluginCapabilitiesAsync(new GetPluginCapabilitiesRequest());
        var probe = await h.Client.Identity.ProbeAsync(new ProbeRequest());
        var node = await h.Client.Node.NodeGetInfoAsync(new NodeGetInfoRequest());
        var nodeCapabilities = await h.Client.Node.NodeGetCapabilitiesAsync(new NodeGetCapabilitiesRequest());

        Assert.Equal("secrets-store.csi.k8s.io", info.Name);
        Assert.Matches(@"^\d+\.\d+\.\d+", info.VendorVersion);
        Assert.Empty(capabilities.Capabilities);
        Assert.True(probe.Ready);
        Assert.Equal("node-1", node.NodeId);
        Assert.Empty(nodeCapabilities.Capabilities);
    }

    [Fact]
    public async Task UnadvertisedRpcs_AnswerUnimplemented()
    {
        await using var h = await DriverHarness.StartAsync();
        var create = await Assert.ThrowsAsync<RpcException>(() => h.Client.Controller.CreateVolumeAsync(new CreateVolumeRequest { Name = "x" }).ResponseAsync);
        var stage = await Assert.ThrowsAsync<RpcException>(() => h.Client.Node.NodeStageVolumeAsync(new NodeStageVolumeRequest()).ResponseAsync);
        var stats = await Assert.ThrowsAsync<RpcException>(() => h.Client.Node.NodeGetVolumeStatsAsync(new NodeGetVolumeStatsRequest()).ResponseAsync);
        Assert.All([create, stage, stats], e => Assert.Equal(StatusCode.Unimplemented, e.StatusCode));
    }

    [Fact]
    public async Task ControllerGetCapabilities_AnswersAnEmptyList()
    {
        await using var h = await DriverHarness.StartAsync();

        var capabilities = await h.Client.Controller.ControllerGetCapabilitiesAsync(new ControllerGetCapabilitiesRequest()).ResponseAsync;

        Assert.Empty(capabilities.Capabilities);
    }

    [Fact]
    public async Task Metrics_CountPublishesAndErrors_WithUpstreamNamesAndLabels()
    {
        await using var h = await DriverHarness.StartAsync();
        h.WriteClass("spc");
        h.ServeFiles(("a", "1"));
        var target = h.NewTarget();
        await h.PublishAsync(DriverHarness.PublishRequest(target));
        await h.UnpublishAsync(target);
        var bad = DriverHarness.PublishRequest(h.NewTarget());
        bad.VolumeContext["secretProviderClass"] = "missing";
        await h.PublishFailsAsync(bad);

        using var http = new HttpClient();
        var metrics = await http.GetAsync(new Uri(h.MetricsAddress, "/metrics"));
        var text = await metrics.Content.ReadAsStringAsync();
        var health = await http.GetStringAsync(new Uri(h.MetricsAddress, "/healthz"));

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType?.ToString());
        Assert.Contains("node_publish_total{provider=\"test\",os_type=\"linux\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("node_unpublish_total{os_type=\"linux\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("node_publish_error_total{provider=\"\",error_type=\"SecretProviderClassNotFound\",os_type=\"linux\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("node_publish_duration_seconds_count{provider=\"test\",os_type=\"linux\"} 1", text, StringComparison.Ordinal);
        Assert.Equal("ok", health);

        // The same text through the Prometheus project's own parser: every family typed, the histogram whole.
        var families = PrometheusText.Parse(text);
        Assert.Equal("counter", PrometheusText.Family(families, "node_publish").Type);
        Assert.Equal("counter", PrometheusText.Family(families, "node_publish_error").Type);
        var duration = PrometheusText.Family(families, "node_publish_duration_seconds");
        Assert.Equal("histogram", duration.Type);
        Assert.Contains(duration.Samples, s => s.Name == "node_publish_duration_seconds_bucket" && s.Labels["le"] == "+Inf" && s.Value == 1);
        Assert.Contains(duration.Samples, s => s.Name == "node_publish_duration_seconds_count" && s.Labels["provider"] == "test" && s.Value == 1);
    }

    [Fact]
    public async Task Publish_WhenTheProviderHangs_FailsAtTheProviderDeadline_AndLeavesNothing()
    {
        await using var h = await DriverHarness.StartAsync("--provider-timeout=1s");
        h.WriteClass("spc");
        h.ProviderService.Handler = async (_, context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.CancellationToken);
            return DriverHarness.Response(("a", "1"));
        };
        var target = h.NewTarget();

        var error = await h.PublishFailsAsync(DriverHarness.PublishRequest(target));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Contains("did not answer Mount within 1s (--provider-timeout)", error.Status.Detail, StringComparison.Ordinal);
        Assert.Null(DriverHarness.MountAt(target));
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task Publish_WhenTheProviderSocketIsDead_IsUnavailable_AndLeavesNothing()
    {
        await using var h = await DriverHarness.StartAsync();
        h.WriteClass("spc");
        await h.Provider.DisposeAsync();
        File.WriteAllText(h.Provider.SocketPath, string.Empty); // a stale socket file with nobody behind it
        var target = h.NewTarget();

        var error = await h.PublishFailsAsync(DriverHarness.PublishRequest(target));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("provider test is not answering on", error.Status.Detail, StringComparison.Ordinal);
        Assert.Null(DriverHarness.MountAt(target));
    }

    [Fact]
    public async Task SecretsAndTokens_NeverReachTheLogs_OrErrorMessages()
    {
        const string Marker = "S3CR3T-MARKER";
        await using var h = await DriverHarness.StartAsync("-v=10");
        h.WriteClass("spc");
        h.ServeFiles(("password", Marker));
        var request = CsiClient.BuildPublishRequest(new PublishOptions
        {
            VolumeId = "vol",
            TargetPath = h.NewTarget(),
            Readonly = true,
            Attributes = new Dictionary<string, string> { ["secretProviderClass"] = "spc" },
            Secrets = new Dictionary<string, string> { ["clientsecret"] = Marker },
            PodNamespace = "default",
            Tokens = new Dictionary<string, string> { ["aud"] = Marker },
        });
        await h.PublishAsync(request);

        h.ProviderService.Handler = (_, _) => throw new RpcException(new Grpc.Core.Status(StatusCode.Internal, "provider broke"));
        var failing = request.Clone();
        failing.TargetPath = h.NewTarget();
        var error = await h.PublishFailsAsync(failing);

        Assert.NotEmpty(h.Logs.Lines);
        Assert.DoesNotContain(Marker, h.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(Marker, error.Status.Detail, StringComparison.Ordinal);
    }
}
