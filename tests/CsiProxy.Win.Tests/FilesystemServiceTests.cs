using CsiProxy.Win.Api.FilesystemV1;
using CsiProxy.Win.Hosts;
using Grpc.Core;
using Moq;
using FilesystemGrpc = CsiProxy.Win.Api.FilesystemV1.Filesystem;

namespace CsiProxy.Win.Tests;

public sealed class FilesystemServiceTests : IAsyncLifetime
{
    private const string Staging = @"C:\var\lib\kubelet\plugins\kubernetes.io\csi\pv\pv-1\globalmount";
    private const string Publish = @"C:\var\lib\kubelet\pods\uid-1\volumes\kubernetes.io~csi\pv-1\mount";

    private ProxyServer _server = null!;
    private FilesystemGrpc.FilesystemClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ProxyServer.StartAsync();
        _client = new FilesystemGrpc.FilesystemClient(_server.Channel(ApiGroup.FilesystemV1));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Mock<IFileSystemHost> Host => _server.Files;

    public static TheoryData<string> BadPaths =>
    [
        "",
        "relative\\path",
        @"C:\var\lib\kubelet",
        @"C:\var\lib\kubelet-evil\pods",
        @"C:\var\lib\kubelet\pods\..\..\..\Windows",
        @"\\attacker\share\x",
        @"\\?\C:\var\lib\kubelet\x",
        @"C:\var\lib\kubelet\pods\x:hidden",
        @"C:\var\lib\kubelet\pods\NUL",
        @"C:\Windows\System32",
    ];

    [Theory]
    [MemberData(nameof(BadPaths))]
    public async Task Every_path_field_is_checked_before_the_host_is_touched(string path)
    {
        var calls = new (string Field, Func<Task> Call)[]
        {
            ("path", () => _client.PathExistsAsync(new PathExistsRequest { Path = path }).ResponseAsync),
            ("path", () => _client.MkdirAsync(new MkdirRequest { Path = path }).ResponseAsync),
            ("path", () => _client.RmdirAsync(new RmdirRequest { Path = path, Force = true }).ResponseAsync),
            ("path", () => _client.IsSymlinkAsync(new IsSymlinkRequest { Path = path }).ResponseAsync),
            ("source_path", () => _client.CreateSymlinkAsync(new CreateSymlinkRequest { SourcePath = path, TargetPath = Publish }).ResponseAsync),
            ("target_path", () => _client.CreateSymlinkAsync(new CreateSymlinkRequest { SourcePath = Staging, TargetPath = path }).ResponseAsync),
        };

        foreach (var (field, call) in calls)
        {
            var e = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.StartsWith(field + ":", e.Status.Detail);
        }
        Host.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Paths_in_a_working_dir_are_allowed()
    {
        Host.Setup(h => h.Exists(@"D:\CSI\Work\x")).Returns(true);

        Assert.True((await _client.PathExistsAsync(new PathExistsRequest { Path = @"d:/CSI/Work/x" })).Exists);
    }

    [Fact]
    public async Task PathExists_and_Mkdir_pass_the_canonical_path()
    {
        Host.Setup(h => h.Exists(Staging)).Returns(true);
        Host.Setup(h => h.CreateDirectory(Staging));

        var exists = await _client.PathExistsAsync(new PathExistsRequest { Path = Staging.Replace('\\', '/') });
        await _client.MkdirAsync(new MkdirRequest { Path = Staging + @"\" });

        Assert.True(exists.Exists);
        Host.Verify(h => h.CreateDirectory(Staging), Times.Once);
    }

    [Fact]
    public async Task Rmdir_of_a_missing_path_is_a_no_op_and_force_is_passed_on()
    {
        Host.SetupSequence(h => h.Exists(Publish)).Returns(true).Returns(false);
        Host.Setup(h => h.Remove(Publish, true));

        await _client.RmdirAsync(new RmdirRequest { Path = Publish, Force = true });
        await _client.RmdirAsync(new RmdirRequest { Path = Publish, Force = true });

        Host.Verify(h => h.Remove(Publish, true), Times.Once);
    }

    [Fact]
    public async Task CreateSymlink_links_target_to_source_and_a_repeat_finds_it_done()
    {
        Host.SetupSequence(h => h.GetLinkTarget(Publish)).Returns((string?)null).Returns(@"\\?\" + Staging + @"\");
        Host.Setup(h => h.Exists(Publish)).Returns(false);
        Host.Setup(h => h.CreateDirectoryLink(Publish, Staging));

        await _client.CreateSymlinkAsync(new CreateSymlinkRequest { SourcePath = Staging, TargetPath = Publish });
        await _client.CreateSymlinkAsync(new CreateSymlinkRequest { SourcePath = Staging, TargetPath = Publish });

        Host.Verify(h => h.CreateDirectoryLink(Publish, Staging), Times.Once);
    }

    [Fact]
    public async Task CreateSymlink_over_a_link_elsewhere_or_a_directory_is_FailedPrecondition()
    {
        Host.SetupSequence(h => h.GetLinkTarget(Publish)).Returns(@"C:\var\lib\kubelet\other").Returns((string?)null);
        Host.Setup(h => h.Exists(Publish)).Returns(true);

        var elsewhere = await Assert.ThrowsAsync<RpcException>(() => _client.CreateSymlinkAsync(new CreateSymlinkRequest { SourcePath = Staging, TargetPath = Publish }).ResponseAsync);
        var directory = await Assert.ThrowsAsync<RpcException>(() => _client.CreateSymlinkAsync(new CreateSymlinkRequest { SourcePath = Staging, TargetPath = Publish }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, elsewhere.StatusCode);
        Assert.Contains("already links to", elsewhere.Status.Detail);
        Assert.Equal(StatusCode.FailedPrecondition, directory.StatusCode);
        Assert.Contains("is not a link", directory.Status.Detail);
    }

    [Fact]
    public async Task IsSymlink_reports_a_link_with_a_live_target()
    {
        Host.Setup(h => h.IsLinkWithLiveTarget(Publish)).Returns(true);

        Assert.True((await _client.IsSymlinkAsync(new IsSymlinkRequest { Path = Publish })).IsSymlink);
    }
}
