using Csi.Common;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SecretsStore.Provider.V1Alpha1;
using File = System.IO.File;

namespace Csi.ProviderHost.Tests;

/// <summary>The host on a real unix socket, called by a real gRPC client as the driver calls it.</summary>
public sealed class ProviderHostTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("provider-host-").FullName;
    private readonly FakeProvider _provider = new();
    private WebApplication _app = null!;
    private CSIDriverProvider.CSIDriverProviderClient _client = null!;
    private Grpc.Net.Client.GrpcChannel _channel = null!;
    private Uri _health = null!;

    private string Socket => Path.Combine(_dir, "fake.sock");

    public async Task InitializeAsync()
    {
        File.WriteAllText(Socket, "stale"); // a leftover from a previous run must not stop the start
        var options = ProviderHostOptions.Parse(_provider, ["--provider-volume", _dir, "--health-addr", "127.0.0.1:0", "--fetch-concurrency", "4"]);
        _app = SecretsProviderHost.Build(_provider, options);
        await _app.StartAsync();
        _health = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a)).First(u => u.Host == "127.0.0.1");
        _channel = GrpcEndpoint.CreateChannel("unix://" + Socket);
        _client = new CSIDriverProvider.CSIDriverProviderClient(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _app.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Version_AnswersV1alpha1_WithNameAndVersion()
    {
        var version = await _client.VersionAsync(new VersionRequest { Version = "v1alpha1" });
        Assert.Equal(("v1alpha1", "fake"), (version.Version, version.RuntimeName));
        Assert.Matches(@"^\d+\.\d+\.\d+", version.RuntimeVersion);
    }

    [Fact]
    public void EveryServedMethod_IsAUnaryMethodOfTheProviderContract_WithItsMessageTypes()
        => Assert.Empty(Csi.Common.Hosting.GrpcMethods.ContractMismatches(_app, CSIDriverProvider.Descriptor));

    [Fact]
    public void Socket_IsUsableOnlyByItsOwner()
        => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Socket));

    [Fact]
    public async Task Mount_ReturnsTheProvidersFilesAndVersions_AndHandsItAParsedRequest()
    {
        var response = await _client.MountAsync(new MountRequest { Attributes = "{\"objects\":\"x\",\"csi.storage.k8s.io/pod.name\":\"web\"}", Secrets = "{}", Permission = "420", TargetPath = "/t" });

        var file = Assert.Single(response.Files);
        Assert.Equal(("a", 420, "1"), (file.Path, file.Mode, file.Contents.ToStringUtf8()));
        Assert.Equal(("secret/a", "1"), (response.ObjectVersion[0].Id, response.ObjectVersion[0].Version));
        var context = Assert.Single(_provider.Contexts);
        Assert.Equal(("x", "web", 4), (context.Parameter("objects"), context.Pod.Name, context.MaxConcurrency));
    }

    public static TheoryData<string, StatusCode, string> BadResults => new()
    {
        { "escaping path", StatusCode.InvalidArgument, "InvalidFilePath: file \"../x\": path must not start with '..'" },
        { "bad mode", StatusCode.InvalidArgument, "InvalidFilePath: file \"a\": mode 4096 is outside 0-0777" },
        { "duplicate file", StatusCode.InvalidArgument, "InvalidFilePath: file \"a\": returned more than once" },
        { "no objects", StatusCode.InvalidArgument, "NoObjects: the SecretProviderClass names no objects" },
        { "duplicate object", StatusCode.InvalidArgument, "DuplicateObject: object \"secret/a\" is listed more than once" },
    };

    [Theory]
    [MemberData(nameof(BadResults))]
    public async Task Mount_ChecksWhatTheProviderReturns(string what, StatusCode code, string message)
    {
        var files = what switch
        {
            "escaping path" => new[] { new ProviderFile("../x", "1"u8.ToArray(), 420) },
            "bad mode" => [new ProviderFile("a", "1"u8.ToArray(), 4096)],
            "duplicate file" => [new ProviderFile("a", "1"u8.ToArray(), 420), new ProviderFile("a", "2"u8.ToArray(), 420)],
            _ => [new ProviderFile("a", "1"u8.ToArray(), 420)],
        };
        var versions = what switch
        {
            "no objects" => Array.Empty<ProviderObjectVersion>(),
            "duplicate object" => [new ProviderObjectVersion("secret/a", "1"), new ProviderObjectVersion("secret/a", "2")],
            _ => [new ProviderObjectVersion("secret/a", "1")],
        };
        _provider.OnMount = (_, _) => Task.FromResult(new MountResult(files, versions));

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.MountAsync(new MountRequest { Attributes = "{}" }).ResponseAsync);

        Assert.Equal(code, error.StatusCode);
        Assert.StartsWith(message, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mount_ProviderException_BecomesItsStatusAndCode_AndIsCounted()
    {
        _provider.OnMount = (_, _) => throw new ProviderException(ProviderErrorKind.PermissionDenied, "PermissionDenied", "role web may not read secret/db");

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.MountAsync(new MountRequest { Attributes = "{}" }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("PermissionDenied: role web may not read secret/db", error.Status.Detail);
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(_health, "/metrics"));
        Assert.Contains("provider_mount_requests_total{provider=\"fake\",result=\"PermissionDenied\"} 1", metrics, StringComparison.Ordinal);
        // The same text through the Prometheus project's own parser.
        var requests = Csi.Testing.PrometheusText.Family(Csi.Testing.PrometheusText.Parse(metrics), "provider_mount_requests");
        Assert.Equal("counter", requests.Type);
        Assert.Contains(requests.Samples, s => s.Labels["result"] == "PermissionDenied" && s.Value == 1);
    }

    [Fact]
    public async Task Mount_UnexpectedException_IsInternal_WithoutItsMessage()
    {
        _provider.OnMount = (_, _) => throw new InvalidOperationException("password=hunter2");

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.MountAsync(new MountRequest { Attributes = "{}" }).ResponseAsync);

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("InvalidOperationException", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mount_MalformedRequest_IsInvalidArgument_BeforeTheProviderRuns()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.MountAsync(new MountRequest { Attributes = "not json" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("InvalidParameter: attributes: not valid JSON", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(_provider.Contexts);
    }

    [Fact]
    public async Task Health_AndReadiness_Answer()
    {
        using var http = new HttpClient();
        Assert.Equal("ok", await http.GetStringAsync(new Uri(_health, "/healthz")));
        Assert.Equal("ok", await http.GetStringAsync(new Uri(_health, "/health/ready")));
    }

    [Fact]
    public async Task Shutdown_LetsAnInFlightMountFinish()
    {
        var entered = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        _provider.OnMount = async (_, _) =>
        {
            entered.SetResult();
            await release.Task;
            return new MountResult([new ProviderFile("a", "done"u8.ToArray(), 420)], [new ProviderObjectVersion("secret/a", "1")]);
        };

        var mount = _client.MountAsync(new MountRequest { Attributes = "{}" }).ResponseAsync;
        await entered.Task;
        var stoppingSignal = new TaskCompletionSource();
        using var onStopping = _app.Lifetime.ApplicationStopping.Register(stoppingSignal.SetResult);
        var stopping = _app.StopAsync();
        await stoppingSignal.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(stopping.IsCompleted, "the host stopped before the in-flight mount finished");
        release.SetResult();

        var response = await mount;
        await stopping;
        Assert.Equal("done", response.Files[0].Contents.ToStringUtf8());
    }
}
