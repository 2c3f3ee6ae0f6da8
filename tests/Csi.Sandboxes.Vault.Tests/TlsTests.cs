using System.Security.Cryptography.X509Certificates;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Vault.Tests;

public sealed class TlsTests
{
    [Fact]
    public async Task Https_works_when_the_client_trusts_the_sandbox_certificate()
    {
        await using var sandbox = await VaultSandbox.StartAsync(new VaultSandboxOptions { UseTls = true });
        Assert.Equal("https", sandbox.Address.Scheme);
        var serverCert = sandbox.ServerCertificate!;

        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && SandboxCertificates.ChainsTo(cert, [serverCert]),
        };
        using var http = new VaultHttp(sandbox.Address, handler);
        var health = await http.GetAsync("sys/health");
        Assert.Equal(200, health.Status);

        using var untrusting = new VaultHttp(sandbox.Address);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync("sys/health"));
        Assert.IsAssignableFrom<System.Security.Authentication.AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task Mutual_tls_requires_a_client_certificate_from_a_trusted_ca()
    {
        using var ca = SandboxCertificates.CreateCertificateAuthority("clients");
        using var clientCert = SandboxCertificates.IssueCertificate(ca, "csi-provider", clientAuth: true, serverAuth: false);
        using var otherCa = SandboxCertificates.CreateCertificateAuthority("strangers");
        using var strangerCert = SandboxCertificates.IssueCertificate(otherCa, "stranger", clientAuth: true, serverAuth: false);

        var options = new VaultSandboxOptions { UseTls = true, RequireClientCertificate = true };
        options.TrustedClientCertificateAuthorities.Add(ca);
        await using var sandbox = await VaultSandbox.StartAsync(options);
        var serverCert = sandbox.ServerCertificate!;

        HttpClientHandler Handler(X509Certificate2? cert)
        {
            var handler = new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, c, _, _) => c is not null && c.Thumbprint == serverCert.Thumbprint,
                ClientCertificateOptions = ClientCertificateOption.Manual,
            };
            if (cert is not null)
            {
                handler.ClientCertificates.Add(cert);
            }

            return handler;
        }

        using (var withCert = new VaultHttp(sandbox.Address, Handler(clientCert)))
        {
            Assert.Equal(200, (await withCert.GetAsync("sys/health")).Status);
        }

        using (var withoutCert = new VaultHttp(sandbox.Address, Handler(null)))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => withoutCert.GetAsync("sys/health"));
        }

        using (var wrongCa = new VaultHttp(sandbox.Address, Handler(strangerCert)))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => wrongCa.GetAsync("sys/health"));
        }
    }

    [Fact]
    public void Self_signed_server_certificate_covers_loopback_names()
    {
        using var cert = SandboxCertificates.CreateSelfSignedServerCertificate();
        Assert.True(cert.HasPrivateKey);
        Assert.True(cert.MatchesHostname("localhost"));
        Assert.True(cert.MatchesHostname("127.0.0.1"));
    }
}
