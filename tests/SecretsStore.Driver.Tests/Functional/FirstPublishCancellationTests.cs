using System.Collections.Concurrent;
using Csi.Common.Metrics;
using Csi.Common.Mounting;
using Csi.Testing;
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

namespace SecretsStore.Driver.Tests.Functional;

/// <summary>
/// Kubelet's deadline passing at each step of a first publish, on real tmpfs mounts: nothing stays mounted,
/// created or recorded, and kubelet's retry is a first publish again (files, status and Secret sync).
/// </summary>
public sealed class FirstPublishCancellationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("first-publish-").FullName;
    private readonly Mock<ISecretProviderClassSource> _classes = new();

    public FirstPublishCancellationTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "pod", "volumes"));
        _classes.Setup(c => c.GetAsync("apps", "spc", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new SecretProviderClass("apps", "spc", "test", new Dictionary<string, string> { ["objects"] = "x" }, []));
    }

    private string Target => Path.Combine(_root, "pod", "volumes", "mount");

    public void Dispose()
    {
        MountTable.UnmountBeneath(_root);
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData(PublishStep.ProviderCall)]
    [InlineData(PublishStep.FileWrite)]
    [InlineData(PublishStep.SecretSync)]
    [InlineData(PublishStep.StatusWrite)]
    public async Task FirstPublish_CancelledAtAnyStep_LeavesNothing_AndTheRetryIsAFirstPublish(PublishStep step)
    {
        var steps = new CancellingSteps(step);
        var publisher = new NodePublisher(new LinuxMounter(), _classes.Object, steps, steps, new DriverMetrics(new MetricsRegistry()),
            new PublisherSettings("node-1", true, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(5), (UnixFileMode)Convert.ToInt32("755", 8)),
            NullLogger<NodePublisher>.Instance, TimeProvider.System, steps, new LoggingPodEventRecorder(NullLogger<LoggingPodEventRecorder>.Instance),
            new NoServiceAccountTokenSource());

        using (var kubelet = new CancellationTokenSource())
        {
            steps.Kubelet = kubelet;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publisher.PublishAsync(Request(), kubelet.Token));
        }

        Assert.True(steps.Reached);
        Assert.Null(MountTable.At(Target));
        Assert.False(Directory.Exists(Target));
        Assert.Empty(steps.Records);
        Assert.Empty(steps.Secrets);
        Assert.Empty(publisher.Volumes);

        steps.Kubelet = null;
        Assert.Equal(PublishOutcome.Mounted, await publisher.PublishAsync(Request(), default));

        Assert.Equal("tmpfs", MountTable.At(Target)?.FileSystemType);
        Assert.Equal("1", System.IO.File.ReadAllText(Path.Combine(Target, "a")));
        Assert.Single(steps.Records);
        Assert.Equal(Target, Assert.Single(steps.Secrets));
        await publisher.UnpublishAsync("vol", Target, default);
        Assert.Null(MountTable.At(Target));
    }

    public enum PublishStep
    {
        ProviderCall,
        FileWrite,
        SecretSync,
        StatusWrite,
    }

    private PublishVolumeRequest Request()
        => new("vol", Target, "spc", "web", "apps", "uid", new Dictionary<string, string> { ["secretProviderClass"] = "spc" }, new Dictionary<string, string>());

    /// <summary>Provider, status recorder and Secret sync in one, each cancelling kubelet's token at its own step.</summary>
    private sealed class CancellingSteps(PublishStep step) : IProviderClient, IPodStatusRecorder, ISecretSync
    {
        private readonly InMemoryPodStatusRecorder _status = new(NullLogger<InMemoryPodStatusRecorder>.Instance);
        private readonly ConcurrentDictionary<string, bool> _secrets = new(StringComparer.Ordinal);

        public CancellationTokenSource? Kubelet { get; set; }

        public bool Reached { get; private set; }

        public IReadOnlyCollection<PodStatusRecord> Records => _status.Records;

        public IReadOnlyCollection<string> Secrets => [.. _secrets.Keys];

        public async Task<MountResponse> MountAsync(string provider, MountRequest request, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (Cancels(PublishStep.ProviderCall))
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            var response = new MountResponse();
            response.Files.Add(new SecretsStore.Provider.V1Alpha1.File { Path = "a", Mode = 420, Contents = ByteString.CopyFromUtf8("1") });
            response.ObjectVersion.Add(new ObjectVersion { Id = "a", Version = "1" });
            // The deadline passes while the driver writes the files.
            Cancels(PublishStep.FileWrite);
            return response;
        }

        public Task<VersionResponse> VersionAsync(string provider, TimeSpan timeout, CancellationToken cancellationToken)
            => Task.FromResult(new VersionResponse());

        public IReadOnlyList<string> ListProviders() => ["test"];

        public async Task RecordAsync(PodStatusRecord record, CancellationToken cancellationToken)
        {
            await _status.RecordAsync(record, CancellationToken.None);
            if (Cancels(PublishStep.StatusWrite))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        public Task RemoveAsync(string targetPath, CancellationToken cancellationToken) => _status.RemoveAsync(targetPath, cancellationToken);

        public Task<SecretSyncResult> SyncAsync(SecretSyncRequest request, CancellationToken cancellationToken)
        {
            _secrets[request.TargetPath] = true;
            if (Cancels(PublishStep.SecretSync))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            return Task.FromResult(new SecretSyncResult([request.TargetPath], []));
        }

        public Task ReleaseAsync(string targetPath, CancellationToken cancellationToken)
        {
            _secrets.TryRemove(targetPath, out _);
            return Task.CompletedTask;
        }

        private bool Cancels(PublishStep at)
        {
            if (at != step || Kubelet is null)
            {
                return false;
            }
            Reached = true;
            Kubelet.Cancel();
            return true;
        }
    }
}
