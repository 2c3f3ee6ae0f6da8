using Csi.Kubernetes.Events;
using Csi.Kubernetes.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Csi.Kubernetes.Tests;

/// <summary>Queued events as objects in the API sandbox.</summary>
public sealed class EventRecorderTests
{
    private static readonly ObjectReference Claim = new() { ApiVersion = "v1", Kind = "PersistentVolumeClaim", Namespace = "default", Name = "data", Uid = "claim-uid" };

    [Fact]
    public async Task Record_WritesAnEventAboutTheObject_AndARepeatCountsUp()
    {
        await using var api = await SandboxApi.StartAsync();
        await using var recorder = new EventRecorder(api.NewClient(), "local.csi.csi-suite.dev_csi-provisioner", NullLogger.Instance, TimeProvider.System) { Host = "node-1" };

        recorder.Record(Claim, "Normal", "Provisioning", "External provisioner is provisioning volume for claim \"default/data\"");
        await recorder.FlushAsync(default).WaitAsync(TimeSpan.FromSeconds(10));
        recorder.Record(Claim, "Normal", "Provisioning", "External provisioner is provisioning volume for claim \"default/data\"");
        recorder.Record(Claim, "Warning", "ProvisioningFailed", new string('x', 5000));
        await recorder.FlushAsync(default).WaitAsync(TimeSpan.FromSeconds(10));

        var events = api.Sandbox.List("v1", "Event", "default");
        Assert.Equal(2, events.Count);
        var provisioning = Assert.Single(events, e => (string?)e["reason"] == "Provisioning");
        Assert.Equal(2, (int)provisioning["count"]!);
        Assert.Equal("claim-uid", (string?)provisioning["involvedObject"]!["uid"]);
        Assert.Equal("PersistentVolumeClaim", (string?)provisioning["involvedObject"]!["kind"]);
        Assert.Equal(("local.csi.csi-suite.dev_csi-provisioner", "node-1"), ((string?)provisioning["source"]!["component"], (string?)provisioning["source"]!["host"]));
        Assert.StartsWith("data.", (string?)provisioning["metadata"]!["name"], StringComparison.Ordinal);
        var failed = Assert.Single(events, e => (string?)e["reason"] == "ProvisioningFailed");
        Assert.Equal(("Warning", EventRecorder.MaxMessageLength), ((string?)failed["type"], ((string)failed["message"]!).Length));
    }

    [Fact]
    public async Task Record_WhenTheApiFails_NeverThrows_AndLaterEventsStillGoThrough()
    {
        await using var api = await SandboxApi.StartAsync();
        await using var recorder = new EventRecorder(api.NewClient(), "csi-provisioner", NullLogger.Instance, TimeProvider.System);
        api.Sandbox.FailNextRequests(1, 403, verb: "create", resource: "events");

        recorder.Record(Claim, "Normal", "First", "lost to RBAC");
        recorder.Record(Claim, "Normal", "Second", "written");
        await recorder.FlushAsync(default).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["Second"], api.Sandbox.List("v1", "Event", "default").Select(e => (string?)e["reason"]));
    }
}
