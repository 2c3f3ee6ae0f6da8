using Csi.Common.Metrics;
using Csi.Common.Mounting;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using SecretsStore.Driver.Diagnostics;
using SecretsStore.Driver.Events;
using SecretsStore.Driver.PodStatuses;
using SecretsStore.Driver.Providers;
using SecretsStore.Driver.Publishing;
using SecretsStore.Driver.SecretProviderClasses;
using SecretsStore.Driver.SecretSync;
using SecretsStore.Driver.ServiceAccountTokens;
using SecretsStore.Provider.V1Alpha1;

namespace SecretsStore.Driver.Tests.Unit;

/// <summary>The publisher's decisions, with the mount table and the provider replaced; files are real.</summary>
public sealed class NodePublisherTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(2);

    private readonly string _root = Directory.CreateTempSubdirectory("publisher-").FullName;
    private readonly Mock<IMounter> _mounter = new();
    private readonly Mock<IProviderClient> _provider = new();
    private readonly Mock<ISecretProviderClassSource> _classes = new();
    private readonly InMemoryPodStatusRecorder _status = new(NullLogger<InMemoryPodStatusRecorder>.Instance);
    private readonly DriverMetrics _metrics = new(new MetricsRegistry());
    private readonly ManualTimeProvider _time = new();
    private MountPointState _state = MountPointState.Missing;

    public NodePublisherTests()
    {
        _mounter.Setup(m => m.GetState(It.IsAny<string>())).Returns(() => _state);
        _mounter.Setup(m => m.MountTmpfs(It.IsAny<string>(), It.IsAny<UnixFileMode>())).Callback(() => _state = MountPointState.Mounted);
        _mounter.Setup(m => m.Unmount(It.IsAny<string>())).Callback(() => _state = MountPointState.NotMounted);
        _classes.Setup(c => c.GetAsync("apps", "spc", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new SecretProviderClass("apps", "spc", "test", new Dictionary<string, string> { ["objects"] = "x" }, []));
        _classes.Setup(c => c.Describe(It.IsAny<string>())).Returns("namespace apps");
        ProviderReturns(("a", "1"));
    }

    private string Target => Path.Combine(_root, "mount");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Publish_First_MountsWritesAndRecordsStatus()
    {
        var outcome = await Publisher(rotation: false).PublishAsync(Request(), default);

        Assert.Equal(PublishOutcome.Mounted, outcome);
        _mounter.Verify(m => m.MountTmpfs(Target, (UnixFileMode)Convert.ToInt32("755", 8)), Times.Once);
        Assert.Equal("1", System.IO.File.ReadAllText(Path.Combine(Target, "a")));
        var record = Assert.Single(_status.Records);
        Assert.Equal(("web-apps-spc", true, "node-1"), (record.Name, record.Mounted, record.NodeId));
        Assert.Equal([new ObjectVersionRecord("file/a", "v-1")], record.Objects);
        Assert.Equal(1, _metrics.NodePublish.Value("test", "linux"));
    }

    [Fact]
    public async Task Republish_WithRotationOff_CallsNoProvider()
    {
        var publisher = Publisher(rotation: false);
        await publisher.PublishAsync(Request(), default);
        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(PublishOutcome.AlreadyMounted, await publisher.PublishAsync(Request(), default));

        _provider.Verify(p => p.MountAsync(It.IsAny<string>(), It.IsAny<MountRequest>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Once);
        _classes.Verify(c => c.GetAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Republish_BeforeTheInterval_CallsNoProvider_AfterIt_FetchesWithCurrentVersions()
    {
        var publisher = Publisher(rotation: true);
        await publisher.PublishAsync(Request(), default);

        _time.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.Equal(PublishOutcome.AlreadyMounted, await publisher.PublishAsync(Request(), default));
        _provider.Verify(p => p.MountAsync(It.IsAny<string>(), It.IsAny<MountRequest>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Once);

        _time.Advance(TimeSpan.FromSeconds(1));
        ProviderReturns(("a", "2"));
        MountRequest? sent = null;
        _provider.Setup(p => p.MountAsync("test", It.IsAny<MountRequest>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Callback<string, MountRequest, TimeSpan, CancellationToken>((_, r, _, _) => sent = r)
            .ReturnsAsync(Response(("a", "2")));

        Assert.Equal(PublishOutcome.Rotated, await publisher.PublishAsync(Request(), default));
        Assert.Equal("2", System.IO.File.ReadAllText(Path.Combine(Target, "a")));
        Assert.Equal(("file/a", "v-1"), (sent!.CurrentObjectVersion[0].Id, sent.CurrentObjectVersion[0].Version));
        Assert.Equal("v-2", Assert.Single(_status.Records).Objects[0].Version);
        Assert.Equal(1, _metrics.RotationReconcile.Value("test", "linux", "true"));
    }

    [Fact]
    public async Task Republish_DecidesDueOnTheMonotonicClock_WhateverTheWallClockDoes()
    {
        var publisher = Publisher(rotation: true);
        await publisher.PublishAsync(Request(), default);

        // Stepped back an hour: rotation still comes after one interval.
        _time.StepWallClock(TimeSpan.FromHours(-1));
        _time.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.Equal(PublishOutcome.AlreadyMounted, await publisher.PublishAsync(Request(), default));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(PublishOutcome.Rotated, await publisher.PublishAsync(Request(), default));
        ProviderCalls(Times.Exactly(2));

        // Stepped forward a day: no early fetch.
        _time.StepWallClock(TimeSpan.FromDays(1));
        Assert.Equal(PublishOutcome.AlreadyMounted, await publisher.PublishAsync(Request(), default));
        _time.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.Equal(PublishOutcome.AlreadyMounted, await publisher.PublishAsync(Request(), default));
        ProviderCalls(Times.Exactly(2));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(PublishOutcome.Rotated, await publisher.PublishAsync(Request(), default));
        ProviderCalls(Times.Exactly(3));
    }

    [Theory]
    [InlineData(-24)]
    [InlineData(0)]
    public async Task Restart_TheSavedFetchTimeIsAHint_AClockSteppedBackDelaysRotationByAtMostOneInterval(int wallStepHours)
    {
        var stateDirectory = Path.Combine(_root, "state");
        await Publisher(rotation: true, stateDirectory).PublishAsync(Request(), default);
        _time.StepWallClock(TimeSpan.FromHours(wallStepHours));

        var restarted = Publisher(rotation: true, stateDirectory);
        Assert.Equal(1, restarted.RestoreVolumes());

        _time.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.Equal(PublishOutcome.AlreadyMounted, await restarted.PublishAsync(Request(), default));
        ProviderCalls(Times.Once());
        MountRequest? sent = null;
        _provider.Setup(p => p.MountAsync("test", It.IsAny<MountRequest>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Callback<string, MountRequest, TimeSpan, CancellationToken>((_, r, _, _) => sent = r)
            .ReturnsAsync(Response(("a", "2")));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(PublishOutcome.Rotated, await restarted.PublishAsync(Request(), default));
        Assert.Equal(("file/a", "v-1"), (sent!.CurrentObjectVersion[0].Id, sent.CurrentObjectVersion[0].Version));
    }

    [Fact]
    public async Task Restart_WithTheWallClockSteppedForward_IsDueAtOnce()
    {
        var stateDirectory = Path.Combine(_root, "state");
        await Publisher(rotation: true, stateDirectory).PublishAsync(Request(), default);
        _time.StepWallClock(TimeSpan.FromDays(1));

        var restarted = Publisher(rotation: true, stateDirectory);
        restarted.RestoreVolumes();

        Assert.Equal(PublishOutcome.Rotated, await restarted.PublishAsync(Request(), default));
    }

    [Fact]
    public async Task Republish_WhenTheFetchFails_KeepsTheLastGoodContent_AndSucceeds()
    {
        var publisher = Publisher(rotation: true);
        await publisher.PublishAsync(Request(), default);
        _time.Advance(Interval);
        _provider.Setup(p => p.MountAsync(It.IsAny<string>(), It.IsAny<MountRequest>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SecretsStoreException(ErrorReason.GRPCProviderError, "down"));

        Assert.Equal(PublishOutcome.RotationFailed, await publisher.PublishAsync(Request(), default));

        Assert.Equal("1", System.IO.File.ReadAllText(Path.Combine(Target, "a")));
        _mounter.Verify(m => m.Unmount(It.IsAny<string>()), Times.Never);
        Assert.Equal(1, _metrics.RotationReconcileError.Value("test", "linux", "GRPCProviderError"));
    }

    [Fact]
    public async Task Publish_OnACorruptedMount_UnmountsItFirst()
    {
        Directory.CreateDirectory(Target);
        _state = MountPointState.Corrupted;

        Assert.Equal(PublishOutcome.Mounted, await Publisher(rotation: false).PublishAsync(Request(), default));

        _mounter.Verify(m => m.Unmount(Target), Times.Once);
        _mounter.Verify(m => m.MountTmpfs(Target, It.IsAny<UnixFileMode>()), Times.Once);
    }

    [Fact]
    public async Task Publish_WhenTheProviderFails_UnmountsAndRemovesTheTargetItCreated()
    {
        _provider.Setup(p => p.MountAsync(It.IsAny<string>(), It.IsAny<MountRequest>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SecretsStoreException(ErrorReason.ProviderError, "boom") { MetricErrorType = "VaultUnreachable" });

        var error = await Assert.ThrowsAsync<SecretsStoreException>(() => Publisher(rotation: false).PublishAsync(Request(), default));

        Assert.Equal(ErrorReason.ProviderError, error.Reason);
        _mounter.Verify(m => m.Unmount(Target), Times.Once);
        Assert.False(Directory.Exists(Target));
        Assert.Empty(_status.Records);
        Assert.Equal(1, _metrics.NodePublishError.Value("test", "VaultUnreachable", "linux"));
    }

    [Fact]
    public async Task Publish_WhenTheTargetExistedBefore_KeepsTheDirectoryOnFailure()
    {
        Directory.CreateDirectory(Target);
        _state = MountPointState.NotMounted;
        ProviderReturnsRaw(new MountResponse()); // no object versions

        var error = await Assert.ThrowsAsync<SecretsStoreException>(() => Publisher(rotation: false).PublishAsync(Request(), default));

        Assert.Equal(ErrorReason.InvalidProviderResponse, error.Reason);
        Assert.Contains("no object versions", error.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Target));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Target));
    }

    [Fact]
    public async Task Publish_WhenTheProviderReturnsAnEscapingPath_WritesNothing()
    {
        var response = Response(("a", "1"));
        response.Files[0].Path = "../../etc/cron.d/x";
        ProviderReturnsRaw(response);

        var error = await Assert.ThrowsAsync<SecretsStoreException>(() => Publisher(rotation: false).PublishAsync(Request(), default));

        Assert.Equal(ErrorReason.InvalidProviderResponse, error.Reason);
        Assert.Contains("must not start with '..'", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public async Task Publish_WhenTheMountFails_CreatesNothing()
    {
        _mounter.Setup(m => m.MountTmpfs(It.IsAny<string>(), It.IsAny<UnixFileMode>())).Throws(new IOException("EPERM"));

        var error = await Assert.ThrowsAsync<SecretsStoreException>(() => Publisher(rotation: false).PublishAsync(Request(), default));

        Assert.Equal(ErrorReason.FailedToMount, error.Reason);
        Assert.False(Directory.Exists(Target));
        _provider.Verify(p => p.MountAsync(It.IsAny<string>(), It.IsAny<MountRequest>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("", "spec.provider is empty")]
    [InlineData("bad/name", "is not a valid provider name")]
    public async Task Publish_WithABadClass_FailsBeforeMounting(string provider, string expected)
    {
        _classes.Setup(c => c.GetAsync("apps", "spc", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new SecretProviderClass("apps", "spc", provider, new Dictionary<string, string> { ["a"] = "b" }, []));

        var error = await Assert.ThrowsAsync<SecretsStoreException>(() => Publisher(rotation: false).PublishAsync(Request(), default));

        Assert.Equal(ErrorReason.InvalidSecretProviderClass, error.Reason);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        _mounter.Verify(m => m.MountTmpfs(It.IsAny<string>(), It.IsAny<UnixFileMode>()), Times.Never);
    }

    [Fact]
    public async Task Publish_WithAnUnknownClass_SaysWhereToCreateIt()
    {
        var request = Request() with { SecretProviderClass = "missing" };
        var error = await Assert.ThrowsAsync<SecretsStoreException>(() => Publisher(rotation: false).PublishAsync(request, default));
        Assert.Equal(ErrorReason.SecretProviderClassNotFound, error.Reason);
        Assert.Contains("SecretProviderClass missing not found in namespace apps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpublish_RemovesFilesUnmountsAndRemovesTarget()
    {
        var publisher = Publisher(rotation: false);
        await publisher.PublishAsync(Request(), default);

        await publisher.UnpublishAsync("vol", Target, default);

        _mounter.Verify(m => m.Unmount(Target), Times.Once);
        Assert.False(Directory.Exists(Target));
        Assert.Empty(_status.Records);
        Assert.Empty(publisher.Volumes);
    }

    [Fact]
    public async Task Unpublish_OfAnUnknownTarget_Succeeds()
    {
        await Publisher(rotation: false).UnpublishAsync("vol", Path.Combine(_root, "never"), default);
        _mounter.Verify(m => m.Unmount(It.IsAny<string>()), Times.Never);
    }

    private void ProviderCalls(Times times)
        => _provider.Verify(p => p.MountAsync(It.IsAny<string>(), It.IsAny<MountRequest>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), times);

    private NodePublisher Publisher(bool rotation, string? stateDirectory = null)
        => new(_mounter.Object, _classes.Object, _provider.Object, _status, _metrics,
            new PublisherSettings("node-1", rotation, Interval, TimeSpan.FromSeconds(5), (UnixFileMode)Convert.ToInt32("755", 8), stateDirectory),
            NullLogger<NodePublisher>.Instance, _time, new NoSecretSync(), new LoggingPodEventRecorder(NullLogger<LoggingPodEventRecorder>.Instance),
            new NoServiceAccountTokenSource());

    private PublishVolumeRequest Request()
        => new("vol", Target, "spc", "web", "apps", "uid", new Dictionary<string, string> { ["secretProviderClass"] = "spc" }, new Dictionary<string, string>());

    private void ProviderReturns(params (string Name, string Content)[] files) => ProviderReturnsRaw(Response(files));

    private void ProviderReturnsRaw(MountResponse response)
        => _provider.Setup(p => p.MountAsync(It.IsAny<string>(), It.IsAny<MountRequest>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>())).ReturnsAsync(response);

    private static MountResponse Response(params (string Name, string Content)[] files)
    {
        var response = new MountResponse();
        foreach (var (name, content) in files)
        {
            response.Files.Add(new SecretsStore.Provider.V1Alpha1.File { Path = name, Mode = 420, Contents = ByteString.CopyFromUtf8(content) });
            response.ObjectVersion.Add(new ObjectVersion { Id = "file/" + name, Version = "v-" + content });
        }
        return response;
    }
}
