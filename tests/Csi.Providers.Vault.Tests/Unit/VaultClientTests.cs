using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Moq.Protected;

namespace Csi.Providers.Vault.Tests.Unit;

public class VaultClientTests
{
    private readonly Mock<HttpMessageHandler> _handler = new(MockBehavior.Strict);
    private readonly List<(HttpRequestMessage Request, string? Body)> _sent = [];

    private static readonly VaultConnection Connection = new(new Uri("https://vault.test:8200/"), null, "parameter vaultAddress", "team-a", VaultTlsSettings.None);

    private static readonly VaultRequest Read = VaultRequest.Create("secret/data/app?version=2", null, null, out _)!;

    private VaultClient Client(VaultConnection? connection = null, TimeSpan? timeout = null) => new(
        new HttpClient(_handler.Object),
        connection ?? Connection,
        new VaultClientSettings(timeout ?? TimeSpan.FromSeconds(5), 2, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2)),
        TimeProvider.System,
        NullLogger.Instance);

    private void Answer(params Func<HttpResponseMessage>[] answers)
    {
        var queue = new Queue<Func<HttpResponseMessage>>(answers);
        _handler.Protected()
            .Setup<Task<HttpResponseMessage>>("SendAsync", ItExpr.IsAny<HttpRequestMessage>(), ItExpr.IsAny<CancellationToken>())
            .Returns(async (HttpRequestMessage request, CancellationToken _) =>
            {
                _sent.Add((request, request.Content is null ? null : await request.Content.ReadAsStringAsync(CancellationToken.None)));
                return queue.Count > 1 ? queue.Dequeue()() : queue.Peek()();
            });
    }

    private static Func<HttpResponseMessage> Status(int status, string body = "") =>
        () => new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static Func<HttpResponseMessage> Throw(Exception e) => () => throw e;

    [Fact]
    public async Task Read_SendsVaultHeadersAndPath()
    {
        Answer(Status(200, """{"data":{"k":"v"}}"""));

        var response = await Client().ReadAsync(Read, "hvs.abc", CancellationToken.None);

        var (request, body) = Assert.Single(_sent);
        Assert.Equal((HttpMethod.Get, "https://vault.test:8200/v1/secret/data/app?version=2", (string?)null), (request.Method, request.RequestUri!.ToString(), body));
        Assert.Equal("true", Assert.Single(request.Headers.GetValues("X-Vault-Request")));
        Assert.Equal("team-a", Assert.Single(request.Headers.GetValues("X-Vault-Namespace")));
        Assert.Equal("hvs.abc", Assert.Single(request.Headers.GetValues("X-Vault-Token")));
        Assert.Equal("v", response!.Data!.Value.GetProperty("k").GetString());
    }

    [Fact]
    public async Task Read_WithArguments_SendsTheMethodAndJsonBody()
    {
        Answer(Status(200, """{"data":{}}"""));
        var issue = Assert.Single(VaultObjectsParser.Parse("- {objectName: c, secretPath: pki/issue/web, method: PUT, secretArgs: {common_name: a.example.com}}")).Request;

        await Client().ReadAsync(issue, "hvs.abc", CancellationToken.None);

        var (request, body) = Assert.Single(_sent);
        Assert.Equal((HttpMethod.Put, "/v1/pki/issue/web", """{"common_name":"a.example.com"}"""), (request.Method, request.RequestUri!.AbsolutePath, body));
    }

    [Fact]
    public async Task Login_PostsJwtAndRole_AndReturnsTheToken()
    {
        Answer(Status(200, """{"auth":{"client_token":"hvs.new","lease_duration":1200,"renewable":true,"policies":["app"]}}"""));

        var auth = await Client().LoginAsync("jwt/cluster", "app", "eyJ.jwt", CancellationToken.None);

        var (request, body) = Assert.Single(_sent);
        Assert.Equal((HttpMethod.Post, "/v1/auth/jwt/cluster/login", """{"jwt":"eyJ.jwt","role":"app"}"""), (request.Method, request.RequestUri!.AbsolutePath, body));
        Assert.False(request.Headers.Contains("X-Vault-Token"));
        Assert.Equal(("hvs.new", 1200L), (auth.ClientToken, auth.LeaseDuration));
    }

    [Fact]
    public async Task Login_AnswerWithoutToken_IsABadResponse()
    {
        Answer(Status(200, """{"auth":null}"""));
        var error = await Assert.ThrowsAsync<VaultRequestException>(() => Client().LoginAsync("kubernetes", "app", "jwt", CancellationToken.None));
        Assert.Equal(VaultFailure.BadResponse, error.Failure);
    }

    [Fact]
    public async Task Address_WithAPathPrefix_PrefixesEveryRequest()
    {
        Answer(Status(200, """{"data":{}}"""));
        await Client(Connection with { Address = new Uri("https://vault.test/vault/") }).ReadAsync(Read, "t", CancellationToken.None);
        Assert.Equal("https://vault.test/vault/v1/secret/data/app?version=2", _sent[0].Request.RequestUri!.ToString());
    }

    [Fact]
    public async Task TlsServerName_IsSentAsTheHostForSniAndVerification()
    {
        Answer(Status(200, """{"data":{}}"""));
        var tls = VaultTlsSettings.None with { ServerName = new VaultSetting("vault.internal", "parameter vaultTLSServerName") };
        await Client(Connection with { Tls = tls }).ReadAsync(Read, "t", CancellationToken.None);
        Assert.Equal("vault.internal:8200", _sent[0].Request.Headers.Host);
    }

    [Fact]
    public async Task Read_ServerErrors_AreRetried()
    {
        Answer(Status(500), Status(503, """{"errors":["Vault is sealed"]}"""), Status(200, """{"data":{"k":"v"}}"""));
        Assert.NotNull(await Client().ReadAsync(Read, "t", CancellationToken.None));
        Assert.Equal(3, _sent.Count);
    }

    [Theory]
    [InlineData(412)]
    [InlineData(429)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Read_RetryableStatus_IsTriedThreeTimesThenFails(int status)
    {
        Answer(Status(status, """{"errors":["busy"]}"""));
        var error = await Assert.ThrowsAsync<VaultRequestException>(() => Client().ReadAsync(Read, "t", CancellationToken.None));
        Assert.Equal((VaultFailure.Status, status, $"HTTP {status}: busy"), (error.Failure, error.StatusCode, error.Reason));
        Assert.Equal(3, _sent.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(405)]
    [InlineData(501)]
    public async Task Read_ClientErrors_AreNotRetried(int status)
    {
        Answer(Status(status, """{"errors":[]}"""));
        var error = await Assert.ThrowsAsync<VaultRequestException>(() => Client().ReadAsync(Read, "t", CancellationToken.None));
        Assert.Equal((status, $"HTTP {status}"), (error.StatusCode, error.Reason));
        Assert.Single(_sent);
    }

    [Fact]
    public async Task Read_ConnectionErrors_AreRetriedThenReported()
    {
        Answer(Throw(new HttpRequestException("Connection refused (vault.test:8200)", new SocketException((int)SocketError.ConnectionRefused))));
        var error = await Assert.ThrowsAsync<VaultRequestException>(() => Client().ReadAsync(Read, "t", CancellationToken.None));
        Assert.Equal(VaultFailure.Connection, error.Failure);
        Assert.Equal(3, _sent.Count);
    }

    [Fact]
    public async Task Read_NoAnswerWithinTheTimeout_IsATimeout()
    {
        _handler.Protected()
            .Setup<Task<HttpResponseMessage>>("SendAsync", ItExpr.IsAny<HttpRequestMessage>(), ItExpr.IsAny<CancellationToken>())
            .Returns(async (HttpRequestMessage _, CancellationToken token) =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return new HttpResponseMessage();
            });

        var error = await Assert.ThrowsAsync<VaultRequestException>(() => Client(timeout: TimeSpan.FromMilliseconds(50)).ReadAsync(Read, "t", CancellationToken.None));
        Assert.Equal(VaultFailure.Timeout, error.Failure);
    }

    [Fact]
    public async Task Read_CallerCancellation_IsNotRetried()
    {
        Answer(Status(503));
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client().ReadAsync(Read, "t", cancel.Token));
    }

    [Fact]
    public async Task Errors_AreCleaned_AndTheTokenRedacted()
    {
        Answer(Status(403, "{\"errors\":[\"2 errors occurred:\\n\\t* permission denied\\n\\t* invalid token hvs.leaky\\n\\n\"]}"));
        var error = await Assert.ThrowsAsync<VaultRequestException>(() => Client().ReadAsync(Read, "hvs.leaky", CancellationToken.None));
        Assert.Equal(["permission denied; invalid token <redacted>"], error.Errors);
    }

    [Fact]
    public async Task Errors_FromSomethingNotVault_KeepOnlyTheStatus()
    {
        Answer(Status(404, "<html>not found</html>"));
        var error = await Assert.ThrowsAsync<VaultRequestException>(() => Client().ReadAsync(Read, "t", CancellationToken.None));
        Assert.Equal("HTTP 404", error.Reason);
    }

    [Theory]
    [InlineData(204, "")]
    [InlineData(200, "")]
    public async Task Read_NoBody_IsNull(int status, string body)
    {
        Answer(Status(status, body));
        Assert.Null(await Client().ReadAsync(Read, "t", CancellationToken.None));
    }

    [Fact]
    public async Task Read_BodyThatIsNotVaultJson_IsABadResponse()
    {
        Answer(Status(200, "<html/>"));
        var error = await Assert.ThrowsAsync<VaultRequestException>(() => Client().ReadAsync(Read, "t", CancellationToken.None));
        Assert.Equal(VaultFailure.BadResponse, error.Failure);
        Assert.Contains("is https://vault.test:8200 a Vault server?", error.Message, StringComparison.Ordinal);
    }
}
