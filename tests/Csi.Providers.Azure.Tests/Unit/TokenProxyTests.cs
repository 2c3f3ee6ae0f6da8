using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Csi.Sandboxes.Common;
using Microsoft.AspNetCore.Http;

namespace Csi.Providers.Azure.Tests.Unit;

public sealed class TokenProxyTests
{
    [Theory]
    [InlineData("0123abcd-cluster")]
    [InlineData("x")]
    [InlineData("5f3c9d2e7a1b4c6d8e0f1a2b3c4d5e6f")]
    public void ServerName_IsAPlusBase32HexOfTheSaltedHash_PlusEstsAks(string clusterId)
    {
        // An independent base32hex: the hash as one big number, 5 bits at a time from the top, padded to 260 bits.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("identity-binding" + clusterId));
        var number = new BigInteger(hash, isUnsigned: true, isBigEndian: true) << 4;
        var digits = new char[52];
        for (var i = 51; i >= 0; i--)
        {
            digits[i] = "0123456789abcdefghijklmnopqrstuv"[(int)(number & 31)];
            number >>= 5;
        }

        var name = IdentityBindingServerName.FromClusterId(clusterId);

        Assert.Equal("a" + new string(digits) + ".ests.aks", name);
        Assert.True(name.Length <= 63 + ".ests.aks".Length, "the first label must fit DNS");
    }

    [Fact]
    public void ClusterId_IsReadFromTheApiServerCertificate()
    {
        using var ca = SandboxCertificates.CreateCertificateAuthority();
        using var cert = SandboxCertificates.IssueCertificate(ca, "apiserver", clientAuth: false, serverAuth: true,
            dnsNames: ["kubernetes", "hcp-kubernetes.65a1f0c2e4b3d8.svc.cluster.local", "kubernetes.default.svc"]);

        Assert.Equal("65a1f0c2e4b3d8", IdentityBindingServerName.ClusterIdOf(cert));
    }

    [Fact]
    public void ClusterId_IsNull_WhenTheCertificateNamesNoCluster()
    {
        using var ca = SandboxCertificates.CreateCertificateAuthority();
        using var cert = SandboxCertificates.IssueCertificate(ca, "apiserver", clientAuth: false, serverAuth: true, dnsNames: ["kubernetes", "hcp-kubernetes.svc.cluster.local"]);

        Assert.Null(IdentityBindingServerName.ClusterIdOf(cert));
    }

    [Fact]
    public async Task Discover_ConnectsToTheApiServer_AndDerivesTheName()
    {
        using var ca = SandboxCertificates.CreateCertificateAuthority();
        using var issued = SandboxCertificates.IssueCertificate(ca, "apiserver", clientAuth: false, serverAuth: true,
            dnsNames: ["hcp-kubernetes.cluster-7.svc.cluster.local"], ipAddresses: [IPAddress.Loopback]);
        await using var server = await LoopbackServer.StartAsync(c => c.Response.WriteAsync("ok"), new LoopbackServerOptions
        {
            UseHttps = true,
            ServerCertificate = X509CertificateLoader.LoadPkcs12(issued.Export(X509ContentType.Pkcs12), null),
        });
        using var dir = new Csi.Testing.TempDirectory("token-proxy");
        var caFile = Path.Combine(dir.Path, "ca.pem");
        File.WriteAllText(caFile, ca.ExportCertificatePem());

        var name = await IdentityBindingServerName.DiscoverAsync(new TokenProxySettings { Url = server.BaseAddress, CaFile = caFile }, CancellationToken.None);

        Assert.Equal(IdentityBindingServerName.FromClusterId("cluster-7"), name);
    }

    [Fact]
    public async Task Discover_FromAnUntrustedServer_SaysToSetSniName()
    {
        using var ca = SandboxCertificates.CreateCertificateAuthority();
        using var otherCa = SandboxCertificates.CreateCertificateAuthority("other");
        using var issued = SandboxCertificates.IssueCertificate(otherCa, "apiserver", clientAuth: false, serverAuth: true,
            dnsNames: ["hcp-kubernetes.cluster-7.svc.cluster.local"], ipAddresses: [IPAddress.Loopback]);
        await using var server = await LoopbackServer.StartAsync(c => c.Response.WriteAsync("ok"), new LoopbackServerOptions
        {
            UseHttps = true,
            ServerCertificate = X509CertificateLoader.LoadPkcs12(issued.Export(X509ContentType.Pkcs12), null),
        });
        using var dir = new Csi.Testing.TempDirectory("token-proxy");
        var caFile = Path.Combine(dir.Path, "ca.pem");
        File.WriteAllText(caFile, ca.ExportCertificatePem());

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => IdentityBindingServerName.DiscoverAsync(new TokenProxySettings { Url = server.BaseAddress, CaFile = caFile }, CancellationToken.None));

        Assert.Contains("set --sni-name", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://proxy:8443", "must use https")]
    [InlineData("https://user:pw@proxy", "must not carry user info")]
    [InlineData("https://proxy?x=1", "must not carry user info, a query")]
    [InlineData("proxy:443", "must use https")]
    [InlineData("not a url", "is not an absolute URL")]
    public void ProxyUrl_IsValidated(string text, string message)
    {
        Assert.Contains(message, TokenProxySettings.Validate(text, out _), StringComparison.Ordinal);
    }

    [Fact]
    public void ProxyUrl_Https_IsAccepted()
    {
        Assert.Null(TokenProxySettings.Validate("https://kubernetes.default.svc.cluster.local", out var url));
        Assert.Equal(443, url!.Port);
    }

    [Fact]
    public void CaFile_EnvironmentWins_ThenTheServiceAccountCa_ThenSystemRoots()
    {
        Assert.Equal("/etc/ca.pem", TokenProxySettings.FindCaFile("/etc/ca.pem", _ => true));
        Assert.Equal(TokenProxySettings.DefaultCaFile, TokenProxySettings.FindCaFile(null, p => p == TokenProxySettings.DefaultCaFile));
        Assert.Null(TokenProxySettings.FindCaFile(string.Empty, _ => false));
    }
}
