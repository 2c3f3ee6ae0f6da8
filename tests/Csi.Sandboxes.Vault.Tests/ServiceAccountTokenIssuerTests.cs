using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Csi.Sandboxes.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Csi.Sandboxes.Vault.Tests;

public sealed class ServiceAccountTokenIssuerTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ServiceAccountTokenIssuer _issuer;

    public ServiceAccountTokenIssuerTests()
    {
        _issuer = new ServiceAccountTokenIssuer(timeProvider: _clock);
    }

    public void Dispose() => _issuer.Dispose();

    [Fact]
    public void Minted_token_has_kubernetes_projected_claims()
    {
        var jwt = _issuer.Mint(new ServiceAccountTokenRequest
        {
            Namespace = "team",
            ServiceAccountName = "web",
            Audiences = ["vault", "sts.amazonaws.com"],
            Lifetime = TimeSpan.FromMinutes(15),
            PodName = "web-0",
        });

        var parts = jwt.Split('.');
        var header = JsonNode.Parse(Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0])))!.AsObject();
        Assert.Equal("RS256", header["alg"]!.GetValue<string>());
        Assert.Equal(_issuer.KeyId, header["kid"]!.GetValue<string>());

        var result = _issuer.Validate(jwt, "vault");
        Assert.True(result.IsValid, result.ToString());
        var claims = result.Claims!;
        Assert.Equal(ServiceAccountTokenIssuer.DefaultIssuer, claims.Issuer);
        Assert.Equal("system:serviceaccount:team:web", claims.Subject);
        Assert.Equal(["vault", "sts.amazonaws.com"], claims.Audiences);
        Assert.Equal(_clock.GetUtcNow(), claims.IssuedAt);
        Assert.Equal(_clock.GetUtcNow(), claims.NotBefore);
        Assert.Equal(_clock.GetUtcNow().AddMinutes(15), claims.ExpiresAt);
        Assert.Equal("team", claims.Namespace);
        Assert.Equal("web", claims.ServiceAccountName);
        Assert.Equal("web-0", claims.PodName);
        Assert.True(Guid.TryParse(claims.PodUid, out _));
        Assert.True(Guid.TryParse(claims.ServiceAccountUid, out _));
        Assert.Equal("team", claims.GetClaim("/kubernetes.io/namespace")!.GetValue<string>());
        Assert.IsType<JsonArray>(claims.Payload["aud"]);

        // Same service account, same UID.
        Assert.Equal(claims.ServiceAccountUid, ServiceAccountTokenIssuer.ReadClaimsUnverified(_issuer.Mint("team", "web", "x"))!.ServiceAccountUid);
    }

    [Fact]
    public void Validate_reports_typed_failures()
    {
        var jwt = _issuer.Mint("ns", "sa", "vault", TimeSpan.FromMinutes(10));

        Assert.Equal(ServiceAccountTokenFailure.WrongAudience, _issuer.Validate(jwt, "other").Failure);
        Assert.True(_issuer.Validate(jwt, null).IsValid);
        Assert.Equal(ServiceAccountTokenFailure.Malformed, _issuer.Validate("a.b", "vault").Failure);
        Assert.Equal(ServiceAccountTokenFailure.Malformed, _issuer.Validate("%%%.%%%.%%%", "vault").Failure);

        var parts = jwt.Split('.');
        var tampered = parts[0] + "." + parts[1] + "." + parts[2][..^4] + (parts[2].EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        Assert.Equal(ServiceAccountTokenFailure.BadSignature, _issuer.Validate(tampered, "vault").Failure);

        using var other = new ServiceAccountTokenIssuer(timeProvider: _clock);
        Assert.Equal(ServiceAccountTokenFailure.BadSignature, _issuer.Validate(other.Mint("ns", "sa", "vault"), "vault").Failure);
        Assert.Equal(ServiceAccountTokenFailure.WrongIssuer, _issuer.Validate(_issuer.SignClaims(new JsonObject { ["iss"] = "x", ["exp"] = 4102444800 }), null).Failure);

        _clock.Advance(TimeSpan.FromMinutes(11));
        var expired = _issuer.Validate(jwt, "vault");
        Assert.Equal(ServiceAccountTokenFailure.Expired, expired.Failure);
        Assert.NotNull(expired.Claims);
        Assert.True(_issuer.Validate(jwt, "vault", clockSkew: TimeSpan.FromMinutes(2)).IsValid);

        var future = _issuer.Mint(new ServiceAccountTokenRequest { Namespace = "ns", ServiceAccountName = "sa", IssuedAt = _clock.GetUtcNow().AddHours(1) });
        Assert.Equal(ServiceAccountTokenFailure.NotYetValid, _issuer.Validate(future, null).Failure);
    }

    [Fact]
    public void Public_key_is_exposed_as_pem_and_jwk()
    {
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", _issuer.PublicKeyPem);
        var jwk = _issuer.GetPublicJwk();
        Assert.Equal("RSA", jwk["kty"]!.GetValue<string>());
        Assert.Equal(_issuer.KeyId, jwk["kid"]!.GetValue<string>());

        using var fromPem = RSA.Create();
        fromPem.ImportFromPem(_issuer.PublicKeyPem);
        Assert.Equal(2048, fromPem.KeySize);
        var jwt = _issuer.Mint("ns", "sa", "aud");
        Assert.True(CompactJwt.TryParse(jwt, out var parsed, out _));
        Assert.True(parsed.VerifyRs256(fromPem));

        using var fromJwk = RSA.Create(new RSAParameters
        {
            Modulus = System.Buffers.Text.Base64Url.DecodeFromChars(jwk["n"]!.GetValue<string>()),
            Exponent = System.Buffers.Text.Base64Url.DecodeFromChars(jwk["e"]!.GetValue<string>()),
        });
        Assert.True(parsed.VerifyRs256(fromJwk));
        Assert.Contains("\"keys\"", _issuer.GetJwksJson());
    }

    [Fact]
    public async Task Loopback_server_serves_a_handler_and_restarts_on_the_same_port()
    {
        await using var server = await LoopbackServer.StartAsync(context => context.Response.WriteAsync("hello"));
        Assert.Equal("127.0.0.1", server.BaseAddress.Host);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal("hello", await client.GetStringAsync("/"));

        var port = server.Port;
        await server.StopAsync();
        Assert.False(server.IsListening);
        await server.RestartAsync();
        Assert.Equal(port, server.Port);
        using var fresh = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal("hello", await fresh.GetStringAsync("/"));
    }
}
