using System.Globalization;
using Csi.Testing;
using Grpc.Core;
using LocalVolume.Driver.Tests.Fixtures;

namespace LocalVolume.Driver.Tests.Functional;

public sealed class MetricsTests
{
    [Fact]
    public async Task EveryCall_IsCountedByMethodAndCode_OnTheMetricsEndpoint()
    {
        using var pool = StoragePool.Images();
        var port = LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture);
        await using var driver = await LocalDriver.StartAsync(pool.Work, [pool.Flag("images", 1L << 30)], extraArguments: ["--metrics-addr", "127.0.0.1:" + port]);

        await driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-m", 16L << 20, Requests.Block()));
        await Assert.ThrowsAsync<RpcException>(async () => await driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-bad", 16L << 20, pool: "nope")));

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        var lines = metrics.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("local_volume_csi_calls_total{", StringComparison.Ordinal) && l.Contains("method=\"CreateVolume\"") && l.Contains("code=\"OK\"") && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("local_volume_csi_calls_total{", StringComparison.Ordinal) && l.Contains("method=\"CreateVolume\"") && l.Contains("code=\"InvalidArgument\"") && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Equal("ok", await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/healthz")));

        // The same text through the Prometheus project's own parser.
        var calls = PrometheusText.Family(PrometheusText.Parse(metrics), "local_volume_csi_calls");
        Assert.Equal("counter", calls.Type);
        Assert.Contains(calls.Samples, s => s.Labels["method"] == "CreateVolume" && s.Labels["code"] == "InvalidArgument" && s.Value == 1);
    }
}
