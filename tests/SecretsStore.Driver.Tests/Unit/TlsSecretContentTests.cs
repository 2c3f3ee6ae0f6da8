using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SecretsStore.Driver.SecretSync;

namespace SecretsStore.Driver.Tests.Unit;

public sealed class TlsSecretContentTests
{
    private static X509Certificate2 SelfSigned(RSA rsa, string subject = "CN=leaf")
        => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

    private static string Text(byte[] bytes) => Encoding.ASCII.GetString(bytes);

    [Fact]
    public void Pem_WithCertificatesBeforeAPkcs8RsaKey_GivesAPkcs1KeyAndTheCertificatesInOrder()
    {
        using var rsa = RSA.Create(2048);
        using var leaf = SelfSigned(rsa);
        using var caKey = RSA.Create(2048);
        using var ca = SelfSigned(caKey, "CN=ca");
        var pem = Encoding.ASCII.GetBytes(leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n" + rsa.ExportPkcs8PrivateKeyPem() + "\n");

        Assert.Equal(rsa.ExportRSAPrivateKeyPem() + "\n", Text(TlsSecretContent.Extract(pem, "tls.key", "cert")));
        Assert.Equal(leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n", Text(TlsSecretContent.Extract(pem, "tls.crt", "cert")));
    }

    [Fact]
    public void Pem_WithAPkcs8EcKey_GivesASec1Key()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = Encoding.ASCII.GetBytes(ec.ExportPkcs8PrivateKeyPem());

        Assert.Equal(ec.ExportECPrivateKeyPem() + "\n", Text(TlsSecretContent.Extract(pem, "tls.key", "cert")));
    }

    [Fact]
    public void Pem_WithAnRsaPrivateKeyBlock_KeepsIt()
    {
        using var rsa = RSA.Create(2048);
        var pem = Encoding.ASCII.GetBytes(rsa.ExportRSAPrivateKeyPem());

        Assert.Equal(rsa.ExportRSAPrivateKeyPem() + "\n", Text(TlsSecretContent.Extract(pem, "tls.key", "cert")));
    }

    [Fact]
    public void RawPfx_GivesTheKeyAndTheCertificate()
    {
        using var rsa = RSA.Create(2048);
        using var leaf = SelfSigned(rsa);
        var pfx = leaf.Export(X509ContentType.Pfx);

        Assert.Equal(rsa.ExportRSAPrivateKeyPem() + "\n", Text(TlsSecretContent.Extract(pfx, "tls.key", "cert")));
        Assert.Equal(leaf.ExportCertificatePem() + "\n", Text(TlsSecretContent.Extract(pfx, "tls.crt", "cert")));
    }

    [Fact]
    public void Base64Pfx_GivesTheKeyAndTheCertificate()
    {
        using var rsa = RSA.Create(2048);
        using var leaf = SelfSigned(rsa);
        var pfx = Encoding.ASCII.GetBytes(Convert.ToBase64String(leaf.Export(X509ContentType.Pfx)) + "\n");

        Assert.Equal(rsa.ExportRSAPrivateKeyPem() + "\n", Text(TlsSecretContent.Extract(pfx, "tls.key", "cert")));
    }

    [Fact]
    public void OtherKeys_AreTheFileAsIs()
    {
        var content = Encoding.ASCII.GetBytes("ca bundle");

        Assert.Same(content, TlsSecretContent.Extract(content, "ca.crt", "cert"));
    }

    [Fact]
    public void PemWithoutAKey_SaysWhatIsMissing_WithoutTheContent()
    {
        using var rsa = RSA.Create(2048);
        using var leaf = SelfSigned(rsa);
        var pem = Encoding.ASCII.GetBytes(leaf.ExportCertificatePem());

        var error = Assert.Throws<SecretSyncException>(() => TlsSecretContent.Extract(pem, "tls.key", "cert"));

        Assert.Equal("objectName cert has no private key PEM block (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) for tls.key", error.Message);
    }

    [Fact]
    public void NeitherPemNorPfx_IsAnErrorNamingTheObject_WithoutTheContent()
    {
        var error = Assert.Throws<SecretSyncException>(() => TlsSecretContent.Extract(Encoding.ASCII.GetBytes("hunter2-secret"), "tls.crt", "cert"));

        Assert.StartsWith("objectName cert is neither PEM nor a PFX", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncryptedKey_IsRefused()
    {
        using var rsa = RSA.Create(2048);
        var pem = Encoding.ASCII.GetBytes(rsa.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000)));

        var error = Assert.Throws<SecretSyncException>(() => TlsSecretContent.Extract(pem, "tls.key", "cert"));

        Assert.Contains("encrypted private key", error.Message, StringComparison.Ordinal);
    }
}
