using Csi.ProviderHost;
using Csi.Sandboxes.Common;

namespace Csi.Providers.Vault.Tests.Unit;

public sealed class VaultHttpClientsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vault-clients-").FullName;
    private readonly VaultHttpClients _clients = new();

    public void Dispose()
    {
        _clients.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static VaultConnection Https(VaultTlsSettings tls) => new(new Uri("https://vault:8200/"), null, "parameter vaultAddress", string.Empty, tls);

    private string WriteCa(string name = "ca.pem")
    {
        using var ca = SandboxCertificates.CreateCertificateAuthority();
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, ca.ExportCertificatePem());
        return path;
    }

    [Fact]
    public void Get_SameSettings_SameClient_OtherSettings_OtherClient()
    {
        var plain = _clients.Get(Https(VaultTlsSettings.None));
        Assert.Same(plain, _clients.Get(Https(VaultTlsSettings.None) with { Namespace = "ns1" }));
        Assert.NotSame(plain, _clients.Get(Https(VaultTlsSettings.None with { SkipVerify = true })));
        Assert.NotSame(plain, _clients.Get(Https(VaultTlsSettings.None) with { Address = new Uri("https://other:8200/") }));
        Assert.Equal(3, _clients.Count);
    }

    [Fact]
    public void Get_AfterTheCaFileChanges_BuildsANewClient_InPlaceOfTheOld()
    {
        var path = WriteCa();
        var connection = Https(VaultTlsSettings.None with { CaCert = new VaultSetting(path, "parameter vaultCACertPath") });
        var first = _clients.Get(connection);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(5));

        var second = _clients.Get(connection);

        Assert.NotSame(first, second);
        Assert.Same(second, _clients.Get(connection));
        Assert.Equal(1, _clients.Count);
    }

    [Fact]
    public void Get_BadCaFromAParameter_IsInvalidParameter()
    {
        var path = Path.Combine(_dir, "garbage.pem");
        File.WriteAllText(path, "not a certificate");

        var error = Assert.Throws<ProviderException>(() => _clients.Get(Https(VaultTlsSettings.None with { CaCert = new VaultSetting(path, "parameter vaultCACertPath") })));

        Assert.Equal((ProviderErrorKind.InvalidArgument, "InvalidParameter"), (error.Kind, error.ErrorCode));
        Assert.Equal($"vaultCACertPath: {path} holds no PEM certificate", error.Message);
        Assert.Equal(0, _clients.Count);
    }

    [Fact]
    public void Get_BadCaDirectoryFromAFlag_IsFailedPrecondition_NamingTheFlagAndFile()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, "cas")).FullName;
        WriteCa(Path.Combine("cas", "good.pem"));
        File.WriteAllText(Path.Combine(dir, "readme.txt"), "hello");

        var error = Assert.Throws<ProviderException>(() => _clients.Get(Https(VaultTlsSettings.None with { CaDirectory = new VaultSetting(dir, "flag -vault-tls-ca-directory") })));

        Assert.Equal((ProviderErrorKind.FailedPrecondition, "InvalidProviderConfig"), (error.Kind, error.ErrorCode));
        Assert.StartsWith($"flag -vault-tls-ca-directory: Error loading CA File: Couldn't parse PEM in: {Path.Combine(dir, "readme.txt")}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_MissingCaDirectory_NamesIt()
    {
        var error = Assert.Throws<ProviderException>(() => _clients.Get(Https(VaultTlsSettings.None with { CaDirectory = new VaultSetting("/no/such/dir", "parameter vaultCADirectory") })));
        Assert.StartsWith("vaultCADirectory: cannot read CA directory /no/such/dir", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnixSocketAddress_ConnectsThroughTheSocket()
    {
        var socket = Path.Combine(_dir, "agent.sock");
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        listener.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socket));
        listener.Listen();
        var served = Task.Run(async () =>
        {
            using var connection = await listener.AcceptAsync();
            var buffer = new byte[4096];
            await connection.ReceiveAsync(buffer);
            await connection.SendAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 17\r\nConnection: close\r\n\r\n{\"data\":{\"k\":1}}\n"u8.ToArray());
        });
        Assert.True(VaultConnection.TryParseAddress("unix://" + socket, out var address, out var path));
        var connection = new VaultConnection(address, path, "VAULT_AGENT_ADDR", string.Empty, VaultTlsSettings.None);
        var client = new VaultClient(_clients.Get(connection), connection, new VaultClientSettings(TimeSpan.FromSeconds(5), 0, TimeSpan.Zero, TimeSpan.Zero), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var response = await client.ReadAsync(VaultRequest.Create("kv/app", null, null, out _)!, "t", CancellationToken.None);

        await served;
        Assert.Equal(1, response!.Data!.Value.GetProperty("k").GetInt32());
    }
}
