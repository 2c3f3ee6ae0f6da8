using System.Text.Json;
using Csi.Client;
using Csi.Common;
using Csi.Common.Mounting;
using Csi.Testing;
using Csi.V1;
using Grpc.Core;
using SecretsStore.Provider.V1Alpha1;
using File = System.IO.File;

namespace SecretsStore.Driver.Tests.Functional;

/// <summary>NodePublishVolume through the real driver, onto real tmpfs mounts.</summary>
public sealed class PublishTests : IAsyncLifetime
{
    private DriverHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await DriverHarness.StartAsync();
        _h.WriteClass("spc");
        _h.ServeFiles(("username", "admin"), ("certs/tls.crt", "CERT"));
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Publish_MountsATmpfs_AndWritesTheFilesThroughDataLinks()
    {
        var target = _h.NewTarget();

        await _h.PublishAsync(DriverHarness.PublishRequest(target));

        var mount = DriverHarness.MountAt(target);
        Assert.NotNull(mount);
        Assert.Equal("tmpfs", mount.FileSystemType);
        Assert.Contains("nosuid", mount.Options, StringComparison.Ordinal);
        Assert.Contains("nodev", mount.Options, StringComparison.Ordinal);
        Assert.Equal((UnixFileMode)Convert.ToInt32("755", 8), File.GetUnixFileMode(target));
        Assert.Equal("admin", File.ReadAllText(Path.Combine(target, "username")));
        Assert.Equal("CERT", File.ReadAllText(Path.Combine(target, "certs", "tls.crt")));
        Assert.Equal("..data/username", new FileInfo(Path.Combine(target, "username")).LinkTarget);
        Assert.Equal((UnixFileMode)420, File.GetUnixFileMode(Path.Combine(target, "..data", "username")));
    }

    [Fact]
    public async Task Publish_SendsTheProviderWhatUpstreamSends()
    {
        var target = _h.NewTarget();
        var request = CsiClient.BuildPublishRequest(new PublishOptions
        {
            VolumeId = "vol-1",
            TargetPath = target,
            Readonly = true,
            Attributes = new Dictionary<string, string> { ["secretProviderClass"] = "spc", ["extra"] = "1" },
            Secrets = new Dictionary<string, string> { ["clientid"] = "id-1" },
            PodName = "web",
            PodNamespace = "default",
            PodUid = "uid-1",
            ServiceAccountName = "web-sa",
            Tokens = new Dictionary<string, string> { ["vault"] = "jwt-abc" },
            TokensInSecrets = true,
        });

        await _h.PublishAsync(request);

        var sent = Assert.Single(_h.ProviderService.Requests);
        var attributes = JsonSerializer.Deserialize<Dictionary<string, string>>(sent.Attributes)!;
        Assert.Equal("- objectName: a", attributes["objects"]);
        Assert.Equal("1", attributes["extra"]);
        Assert.Equal("spc", attributes["secretProviderClass"]);
        Assert.Equal("web", attributes["csi.storage.k8s.io/pod.name"]);
        Assert.Equal("uid-1", attributes["csi.storage.k8s.io/pod.uid"]);
        Assert.Equal("web-sa", attributes["csi.storage.k8s.io/serviceAccount.name"]);
        Assert.Contains("jwt-abc", attributes[VolumeContextKeys.ServiceAccountTokens], StringComparison.Ordinal);
        Assert.Equal("id-1", JsonSerializer.Deserialize<Dictionary<string, string>>(sent.Secrets)!["clientid"]);
        Assert.Equal("420", sent.Permission);
        Assert.Equal(target, sent.TargetPath);
    }

    public static TheoryData<string, StatusCode, string> BadRequests => new()
    {
        { "no volume id", StatusCode.InvalidArgument, "volume_id is missing" },
        { "no target", StatusCode.InvalidArgument, "target_path is missing" },
        { "no capability", StatusCode.InvalidArgument, "volume_capability is missing" },
        { "no context", StatusCode.InvalidArgument, "volume_context is empty" },
        { "no class", StatusCode.InvalidArgument, "volume_context.secretProviderClass is missing" },
        { "not readonly", StatusCode.InvalidArgument, "readonly is not true" },
        { "NUL in target", StatusCode.InvalidArgument, "target_path contains a NUL character" },
        { "NUL in a context key", StatusCode.InvalidArgument, "volume_context key contains a NUL character" },
        { "NUL in a secret", StatusCode.InvalidArgument, "secrets[\"clientsecret\"] contains a NUL character" },
        { "class name with a slash", StatusCode.InvalidArgument, "volume_context.secretProviderClass \"../spc\" is not a valid object name" },
        { "unknown class", StatusCode.NotFound, "SecretProviderClass nope not found in namespace default" },
        { "class in another namespace", StatusCode.NotFound, "SecretProviderClass spc not found in namespace other" },
        { "unknown provider", StatusCode.FailedPrecondition, "provider ghost not found: no ghost.sock in" },
        { "invalid provider name", StatusCode.FailedPrecondition, "spec.provider \"../../x\" is not a valid provider name" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Publish_BadInput_ReturnsAStatusThatSaysWhatToFix_AndLeavesNothing(string what, StatusCode code, string message)
    {
        var target = _h.NewTarget();
        var request = DriverHarness.PublishRequest(target);
        switch (what)
        {
            case "no volume id": request.VolumeId = ""; break;
            case "no target": request.TargetPath = ""; break;
            case "no capability": request.VolumeCapability = null; break;
            case "no context": request.VolumeContext.Clear(); break;
            case "no class": request.VolumeContext.Remove("secretProviderClass"); break;
            case "not readonly": request.Readonly = false; break;
            case "NUL in target": request.TargetPath += "\0x"; break;
            case "NUL in a context key": request.VolumeContext["a\0b"] = "c"; break;
            case "NUL in a secret": request.Secrets["clientsecret"] = "p\0w"; break;
            case "class name with a slash": request.VolumeContext["secretProviderClass"] = "../spc"; break;
            case "unknown class": request.VolumeContext["secretProviderClass"] = "nope"; break;
            case "class in another namespace": request.VolumeContext["csi.storage.k8s.io/pod.namespace"] = "other"; break;
            case "unknown provider":
                _h.WriteClass("ghostly", provider: "ghost");
                request.VolumeContext["secretProviderClass"] = "ghostly";
                break;
            case "invalid provider name":
                _h.WriteClass("weird", provider: "\"../../x\"");
                request.VolumeContext["secretProviderClass"] = "weird";
                break;
        }
        await Task.Delay(what is "unknown provider" or "invalid provider name" ? 250 : 0);

        var error = await _h.PublishFailsAsync(request);

        Assert.Equal(code, error.StatusCode);
        Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
        Assert.Null(DriverHarness.MountAt(target));
        Assert.False(Directory.Exists(target));
        Assert.Empty(_h.ProviderService.Requests);
    }

    [Fact]
    public async Task Publish_WhenTheProviderReportsAnErrorCode_FailsWithIt_AndUnmounts()
    {
        _h.ProviderService.Handler = (_, _) => Task.FromResult(new MountResponse { Error = new Error { Code = "AuthenticationFailed" } });
        var target = _h.NewTarget();

        var error = await _h.PublishFailsAsync(DriverHarness.PublishRequest(target));

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Contains("error code AuthenticationFailed", error.Status.Detail, StringComparison.Ordinal);
        Assert.Null(DriverHarness.MountAt(target));
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task Publish_WhenTheProviderMessageStartsWithItsCode_SaysTheCodeOnce()
    {
        _h.ProviderService.Handler = (_, _) => throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, "NotFound: objects[1] (objectName \"db\"): no such secret"));
        var target = _h.NewTarget();

        var error = await _h.PublishFailsAsync(DriverHarness.PublishRequest(target));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("provider test failed Mount: NotFound: objects[1]", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("NotFound: NotFound", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_WhenTheProviderFailsTheCall_PassesOnItsCodeAndMessage()
    {
        _h.ProviderService.Handler = (_, _) => throw new RpcException(new Grpc.Core.Status(StatusCode.PermissionDenied, "role web cannot read secret/db"));
        var target = _h.NewTarget();

        var error = await _h.PublishFailsAsync(DriverHarness.PublishRequest(target));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("provider test failed Mount: PermissionDenied: role web cannot read secret/db", error.Status.Detail, StringComparison.Ordinal);
        Assert.Null(DriverHarness.MountAt(target));
    }

    [Theory]
    [InlineData("../escape", "must not start with '..'")]
    [InlineData("/etc/shadow", "must be relative")]
    [InlineData("a/../../b", "'..' element")]
    public async Task Publish_WhenTheProviderReturnsAnUnsafePath_WritesNothing(string path, string reason)
    {
        _h.ServeFiles((path, "x"));
        var target = _h.NewTarget();

        var error = await _h.PublishFailsAsync(DriverHarness.PublishRequest(target));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("provider test returned an unusable file", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(reason, error.Status.Detail, StringComparison.Ordinal);
        Assert.Null(DriverHarness.MountAt(target));
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task Publish_WhenTheProviderSendsNoObjectVersions_Fails()
    {
        _h.ProviderService.Handler = (_, _) =>
        {
            var response = DriverHarness.Response(("a", "1"));
            response.ObjectVersion.Clear();
            return Task.FromResult(response);
        };
        var target = _h.NewTarget();

        var error = await _h.PublishFailsAsync(DriverHarness.PublishRequest(target));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("returned no object versions", error.Status.Detail, StringComparison.Ordinal);
        Assert.Null(DriverHarness.MountAt(target));
    }

    [Fact]
    public async Task Publish_ProviderWithBadMode_Fails()
    {
        _h.ProviderService.Handler = (_, _) =>
        {
            var response = DriverHarness.Response(("a", "1"));
            response.Files[0].Mode = 4095;
            return Task.FromResult(response);
        };

        var error = await _h.PublishFailsAsync(DriverHarness.PublishRequest(_h.NewTarget()));

        Assert.Contains("mode 4095 is outside 0-0777", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_Twice_IsIdempotent_WithoutASecondProviderCall()
    {
        var target = _h.NewTarget();
        await _h.PublishAsync(DriverHarness.PublishRequest(target));
        await _h.PublishAsync(DriverHarness.PublishRequest(target));

        Assert.Single(_h.ProviderService.Requests);
        Assert.Equal(1, MountTable.CountAt(target));
    }

    [Fact]
    public async Task Publish_AfterTheMountVanished_MountsAgain()
    {
        var target = _h.NewTarget();
        await _h.PublishAsync(DriverHarness.PublishRequest(target));
        new LinuxMounter().Unmount(target);
        Assert.Null(DriverHarness.MountAt(target));

        await _h.PublishAsync(DriverHarness.PublishRequest(target));

        Assert.NotNull(DriverHarness.MountAt(target));
        Assert.Equal("admin", File.ReadAllText(Path.Combine(target, "username")));
        Assert.Equal(2, _h.ProviderService.MountCalls);
    }

    [Fact]
    public async Task Publish_FiftyInParallel_OnDistinctTargets_AllMount()
    {
        var targets = Enumerable.Range(0, 50).Select(_ => _h.NewTarget()).ToArray();

        await Task.WhenAll(targets.Select(t => _h.PublishAsync(DriverHarness.PublishRequest(t))));

        var mounted = MountTable.All().Select(m => m.Target).ToHashSet(StringComparer.Ordinal);
        Assert.All(targets, t => Assert.Contains(t, mounted));
        Assert.All(targets, t => Assert.Equal("admin", File.ReadAllText(Path.Combine(t, "username"))));

        await Task.WhenAll(targets.Select(_h.UnpublishAsync));
        Assert.All(targets, t => Assert.False(Directory.Exists(t)));
        Assert.Empty(MountTable.Beneath(_h.Root));
    }

    [Fact]
    public async Task Publish_TwoAtOnce_OnTheSameTarget_MountOnce()
    {
        var gate = new TaskCompletionSource();
        _h.ProviderService.Handler = async (_, _) =>
        {
            await gate.Task;
            return DriverHarness.Response(("a", "1"));
        };
        var target = _h.NewTarget();

        var first = _h.PublishAsync(DriverHarness.PublishRequest(target));
        var second = _h.PublishAsync(DriverHarness.PublishRequest(target));
        await Task.Delay(200);
        gate.SetResult();
        await Task.WhenAll(first, second);

        Assert.Equal(1, MountTable.CountAt(target));
        Assert.Single(_h.ProviderService.Requests);
    }

    [Fact]
    public async Task Unpublish_RemovesTheFilesTheMountAndTheTarget()
    {
        var target = _h.NewTarget();
        await _h.PublishAsync(DriverHarness.PublishRequest(target));

        await _h.UnpublishAsync(target);

        Assert.Null(DriverHarness.MountAt(target));
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task Unpublish_OfAnUnknownOrGoneTarget_Succeeds()
    {
        await _h.UnpublishAsync(Path.Combine(_h.Root, "never", "mounted"));
        var target = _h.NewTarget();
        await _h.PublishAsync(DriverHarness.PublishRequest(target));
        await _h.UnpublishAsync(target);
        await _h.UnpublishAsync(target);
    }

    [Fact]
    public async Task Unpublish_BadInput_IsInvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _h.Client.Node.NodeUnpublishVolumeAsync(new NodeUnpublishVolumeRequest { VolumeId = "v" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("target_path is missing", error.Status.Detail, StringComparison.Ordinal);
    }
}
