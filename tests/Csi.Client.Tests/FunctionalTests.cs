using System.Text.Json;
using Csictl;

namespace Csi.Client.Tests;

public class FunctionalTests(CsiTestServer server) : IClassFixture<CsiTestServer>
{
    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Program.RunAsync(["--endpoint", server.Endpoint, .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Identity_prints_aligned_key_value_lines()
    {
        var (code, stdout, stderr) = await RunAsync("identity");

        Assert.Equal(0, code);
        Assert.Empty(stderr);
        var lines = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(
            [
                "name:           test.csi.example.com",
                "vendor_version: v9.9.9",
                "capabilities:   VOLUME_ACCESSIBILITY_CONSTRAINTS",
                "ready:          true",
            ],
            lines);
    }

    [Fact]
    public async Task Identity_json_prints_every_response()
    {
        var (code, stdout, _) = await RunAsync("identity", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("test.csi.example.com", json.RootElement.GetProperty("GetPluginInfo").GetProperty("name").GetString());
        Assert.Equal(
            "VOLUME_ACCESSIBILITY_CONSTRAINTS",
            json.RootElement.GetProperty("GetPluginCapabilities").GetProperty("capabilities")[0].GetProperty("service").GetProperty("type").GetString());
        Assert.True(json.RootElement.GetProperty("Probe").GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task Node_info_prints_node_id_and_topology()
    {
        var (code, stdout, _) = await RunAsync("node-info");

        Assert.Equal(0, code);
        Assert.Contains("node_id:              node-1", stdout);
        Assert.Contains("accessible_topology:  topology.kubernetes.io/zone=z1", stdout);
    }

    [Fact]
    public async Task Publish_sends_what_kubelet_sends()
    {
        var target = "/pods/uid-1/volumes/csi/secrets/mount";
        var (code, stdout, stderr) = await RunAsync(
            "publish", "--volume-id=csi-abc", "--target-path", target, "--readonly",
            "--attrib", "secretProviderClass=spc", "--secret=password=hunter2",
            "--pod-name", "web-0", "--pod-namespace=default", "--pod-uid", "uid-1", "--service-account", "web",
            "--token", "aud=tok", "--mount-flag", "ro", "--access-mode", "single-node-reader-only");

        Assert.Equal(0, code);
        Assert.Empty(stderr);
        Assert.Contains("published:   csi-abc", stdout);
        Assert.DoesNotContain("hunter2", stdout);
        Assert.DoesNotContain("tok", stdout);

        var request = Assert.Single(server.Published, r => r.VolumeId == "csi-abc");
        Assert.Equal(target, request.TargetPath);
        Assert.True(request.Readonly);
        Assert.Equal("spc", request.VolumeContext["secretProviderClass"]);
        Assert.Equal("hunter2", request.Secrets["password"]);
        Assert.Equal("web-0", request.VolumeContext["csi.storage.k8s.io/pod.name"]);
        Assert.Equal("true", request.VolumeContext["csi.storage.k8s.io/ephemeral"]);
        Assert.Contains("\"tok\"", request.VolumeContext["csi.storage.k8s.io/serviceAccount.tokens"]);
        Assert.Equal(["ro"], request.VolumeCapability.Mount.MountFlags);
        Assert.Equal(V1.VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeReaderOnly, request.VolumeCapability.AccessMode.Mode);
    }

    [Fact]
    public async Task Unpublish_succeeds()
    {
        var (code, stdout, _) = await RunAsync("unpublish", "--volume-id", "v", "--target-path", "/t", "--json");

        Assert.Equal(0, code);
        Assert.Equal("{ }", stdout.Trim());
    }

    [Fact]
    public async Task A_grpc_error_exits_1_with_method_status_and_detail()
    {
        var (code, stdout, stderr) = await RunAsync("unpublish", "--volume-id", "missing", "--target-path", "/t");

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Equal("error: NodeUnpublishVolume: NotFound: volume missing is not published", stderr.Trim());
    }

    [Fact]
    public async Task Global_flags_may_come_before_or_after_the_command()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Program.RunAsync(["--timeout=5s", "--json", "node-info", "--endpoint", server.Endpoint], stdout, stderr);

        Assert.Equal(0, code);
        Assert.Empty(stderr.ToString());
        using var json = JsonDocument.Parse(stdout.ToString());
        Assert.Equal("node-1", json.RootElement.GetProperty("NodeGetInfo").GetProperty("nodeId").GetString());
    }

    [Fact]
    public async Task No_server_exits_1_with_unavailable()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Program.RunAsync(["identity", "--endpoint", "unix:///nonexistent/csi.sock", "--timeout", "5s"], stdout, stderr);

        Assert.Equal(1, code);
        Assert.StartsWith("error: GetPluginInfo: Unavailable:", stderr.ToString());
        Assert.Contains("/nonexistent/csi.sock", stderr.ToString());
    }

    [Fact]
    public async Task The_endpoint_defaults_to_CSI_ENDPOINT()
    {
        Environment.SetEnvironmentVariable("CSI_ENDPOINT", server.Endpoint);
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = await Program.RunAsync(["node-info"], stdout, stderr);

            Assert.Equal(0, code);
            Assert.Contains("node-1", stdout.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("CSI_ENDPOINT", null);
        }
    }
}
