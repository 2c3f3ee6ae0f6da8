using CsiProxy.Win.Api.SmbV1;
using CsiProxy.Win.Hosts;
using Grpc.Core;
using Moq;
using SmbGrpc = CsiProxy.Win.Api.SmbV1.Smb;

namespace CsiProxy.Win.Tests;

public sealed class SmbServiceTests : IAsyncLifetime
{
    private const string Password = "pa55-w0rd-never-logged";
    private const string Local = @"C:\var\lib\kubelet\plugins\kubernetes.io\csi\smb\pv-1\globalmount";

    private ProxyServer _server = null!;
    private SmbGrpc.SmbClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ProxyServer.StartAsync();
        _client = new SmbGrpc.SmbClient(_server.Channel(ApiGroup.SmbV1));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static NewSmbGlobalMappingRequest Request(string local = "") => new()
    {
        RemotePath = "//FileServer/Share/pv-1",
        LocalPath = local,
        Username = @"CORP\svc",
        Password = Password,
    };

    [Fact]
    public async Task A_new_share_is_mapped_on_its_lower_case_root_with_privacy_and_linked_at_the_local_path()
    {
        _server.Smb.Setup(h => h.GetMappingState(@"\\fileserver\share")).Returns(SmbMappingState.None);
        _server.Files.Setup(h => h.IsReachable(@"\\FileServer\Share\pv-1")).Returns(false);
        _server.Smb.Setup(h => h.CreateMapping(@"\\fileserver\share", @"CORP\svc", Password, true));
        _server.Files.Setup(h => h.GetLinkTarget(Local)).Returns((string?)null);
        _server.Files.Setup(h => h.Exists(Local)).Returns(false);
        _server.Files.Setup(h => h.CreateDirectoryLink(Local, @"\\FileServer\Share\pv-1\"));

        await _client.NewSmbGlobalMappingAsync(Request(Local));

        _server.Smb.Verify(h => h.CreateMapping(@"\\fileserver\share", @"CORP\svc", Password, true), Times.Once);
        _server.Files.Verify(h => h.CreateDirectoryLink(Local, @"\\FileServer\Share\pv-1\"), Times.Once);
    }

    [Fact]
    public async Task A_healthy_mapping_is_kept_and_an_existing_link_to_the_share_is_kept()
    {
        _server.Smb.Setup(h => h.GetMappingState(@"\\fileserver\share")).Returns(SmbMappingState.Ok);
        _server.Files.Setup(h => h.IsReachable(@"\\FileServer\Share\pv-1")).Returns(true);
        _server.Files.Setup(h => h.GetLinkTarget(Local)).Returns(@"UNC\FileServer\Share\pv-1\".Insert(0, @"\??\"));

        await _client.NewSmbGlobalMappingAsync(Request(Local));

        _server.Smb.Verify(h => h.CreateMapping(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool>()), Times.Never);
        _server.Smb.Verify(h => h.RemoveMapping(It.IsAny<string>()), Times.Never);
    }

    [Theory]
    [InlineData(SmbMappingState.Ok, false)]
    [InlineData(SmbMappingState.Broken, true)]
    public async Task A_stale_or_broken_mapping_is_removed_and_made_again(SmbMappingState state, bool reachable)
    {
        var order = new List<string>();
        _server.Smb.Setup(h => h.GetMappingState(@"\\fileserver\share")).Returns(state);
        _server.Files.Setup(h => h.IsReachable(@"\\FileServer\Share\pv-1")).Returns(reachable);
        _server.Smb.Setup(h => h.RemoveMapping(@"\\fileserver\share")).Callback(() => order.Add("remove"));
        _server.Smb.Setup(h => h.CreateMapping(@"\\fileserver\share", @"CORP\svc", Password, true)).Callback(() => order.Add("create"));

        await _client.NewSmbGlobalMappingAsync(Request());

        Assert.Equal(["remove", "create"], order);
    }

    [Fact]
    public async Task Require_privacy_false_is_passed_on()
    {
        await using var server = await ProxyServer.StartAsync(o => o.RequirePrivacy = false);
        var client = new SmbGrpc.SmbClient(server.Channel(ApiGroup.SmbV1));
        server.Smb.Setup(h => h.GetMappingState(@"\\fileserver\share")).Returns(SmbMappingState.None);
        server.Files.Setup(h => h.IsReachable(It.IsAny<string>())).Returns(false);
        server.Smb.Setup(h => h.CreateMapping(@"\\fileserver\share", @"CORP\svc", Password, false));

        await client.NewSmbGlobalMappingAsync(Request());

        server.Smb.Verify(h => h.CreateMapping(@"\\fileserver\share", @"CORP\svc", Password, false), Times.Once);
    }

    [Theory]
    [InlineData("", "", "remote_path")]
    [InlineData(@"C:\share", "", "remote_path")]
    [InlineData(@"\\?\UNC\server\share", "", "remote_path")]
    [InlineData(@"\\server\share\..\..\x", "", "remote_path")]
    [InlineData(@"\\server\share", @"C:\Windows\System32\x", "local_path")]
    [InlineData(@"\\server\share", @"C:\var\lib\kubelet-evil\x", "local_path")]
    [InlineData(@"\\server\share", @"\\other\share", "local_path")]
    public async Task Bad_fields_are_InvalidArgument_and_the_password_is_never_in_the_error(string remote, string local, string field)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => _client.NewSmbGlobalMappingAsync(new NewSmbGlobalMappingRequest
        {
            RemotePath = remote,
            LocalPath = local,
            Username = "user",
            Password = Password,
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith(field + ":", e.Status.Detail);
        Assert.DoesNotContain(Password, e.Status.Detail);
        _server.Smb.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task A_host_failure_while_mapping_never_carries_the_password()
    {
        _server.Smb.Setup(h => h.GetMappingState(It.IsAny<string>())).Returns(SmbMappingState.None);
        _server.Files.Setup(h => h.IsReachable(It.IsAny<string>())).Returns(false);
        _server.Smb.Setup(h => h.CreateMapping(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool>()))
            .Throws(new ProxyException(ProxyErrorCode.Internal, "MSFT_SmbGlobalMapping.Create failed: Access is denied."));

        var e = await Assert.ThrowsAsync<RpcException>(() => _client.NewSmbGlobalMappingAsync(Request()).ResponseAsync);

        Assert.Equal(StatusCode.Internal, e.StatusCode);
        Assert.DoesNotContain(Password, e.Status.Detail);
        Assert.DoesNotContain(Password, e.ToString());
    }

    [Fact]
    public async Task Concurrent_mappings_of_one_share_map_it_once()
    {
        var mapped = false;
        var creates = 0;
        _server.Smb.Setup(h => h.GetMappingState(@"\\fileserver\share")).Returns(() => Volatile.Read(ref mapped) ? SmbMappingState.Ok : SmbMappingState.None);
        _server.Files.Setup(h => h.IsReachable(It.IsAny<string>())).Returns(() => Volatile.Read(ref mapped));
        _server.Smb.Setup(h => h.CreateMapping(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool>())).Callback(() =>
        {
            Interlocked.Increment(ref creates);
            Thread.Sleep(50);
            Volatile.Write(ref mapped, true);
        });

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _client.NewSmbGlobalMappingAsync(Request()).ResponseAsync));

        Assert.Equal(1, creates);
    }

    [Fact]
    public async Task RemoveSmbGlobalMapping_removes_the_root_mapping_and_is_a_no_op_when_none()
    {
        _server.Smb.SetupSequence(h => h.GetMappingState(@"\\fileserver\share")).Returns(SmbMappingState.Ok).Returns(SmbMappingState.None);
        _server.Smb.Setup(h => h.RemoveMapping(@"\\fileserver\share"));

        await _client.RemoveSmbGlobalMappingAsync(new RemoveSmbGlobalMappingRequest { RemotePath = @"\\FileServer\Share\pv-1" });
        await _client.RemoveSmbGlobalMappingAsync(new RemoveSmbGlobalMappingRequest { RemotePath = @"\\FileServer\Share\pv-1" });

        _server.Smb.Verify(h => h.RemoveMapping(@"\\fileserver\share"), Times.Once);
    }

    [Fact]
    public async Task The_password_never_reaches_a_log_line_at_any_level_on_success_or_failure()
    {
        var creates = 0;
        _server.Smb.Setup(h => h.GetMappingState(It.IsAny<string>())).Returns(SmbMappingState.Broken);
        _server.Files.Setup(h => h.IsReachable(It.IsAny<string>())).Returns(false);
        _server.Smb.Setup(h => h.RemoveMapping(It.IsAny<string>()));
        _server.Smb.Setup(h => h.CreateMapping(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool>())).Callback(() =>
        {
            if (++creates == 2)
            {
                throw new ProxyException(ProxyErrorCode.Internal, "MSFT_SmbGlobalMapping.Create failed: The user name or password is incorrect.");
            }
        });

        await _client.NewSmbGlobalMappingAsync(Request());
        await Assert.ThrowsAsync<RpcException>(() => _client.NewSmbGlobalMappingAsync(Request()).ResponseAsync);

        Assert.Contains(_server.Logs.Lines, l => l.Contains(@"\\fileserver\share", StringComparison.Ordinal));
        Assert.Contains(_server.Logs.Lines, l => l.Contains("Internal", StringComparison.Ordinal));
        Assert.DoesNotContain(_server.Logs.Lines, l => l.Contains(Password, StringComparison.Ordinal));
    }
}
