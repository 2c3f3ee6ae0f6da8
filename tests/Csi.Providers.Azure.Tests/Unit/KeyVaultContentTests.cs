using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Csi.Providers.Azure.Tests.Unit;

public sealed class KeyVaultContentTests
{
    [Fact]
    public void OrderChain_WhenTheChainIsIncomplete_KeepsTheOriginalOrder()
    {
        using var otherRoot = SelfSigned("CN=Unrelated Root");
        using var leafRoot = SelfSigned("CN=Root");
        using var leaf = Issued("CN=leaf", leafRoot);
        List<X509Certificate2> original = [otherRoot, leaf, leafRoot];

        var ordered = KeyVaultContent.OrderChain(original);

        Assert.Equal(original, ordered);
    }

    [Fact]
    public void OrderChain_CompleteChain_IsLeafToRoot()
    {
        using var root = SelfSigned("CN=Root");
        using var leaf = Issued("CN=leaf", root);

        var ordered = KeyVaultContent.OrderChain([root, leaf]);

        Assert.Equal([leaf, root], ordered);
    }

    [Theory]
    [InlineData("""{"kty":"oct","k":"AAAA"}""", "key type 'oct' currently not supported")]
    [InlineData("""{"kty":"EC","crv":"P-256K","x":"AA","y":"AA"}""", "curve P-256K is not supported")]
    public void PublicKeyPem_UnsupportedKeys_SayWhy(string jwk, string error)
    {
        using var document = JsonDocument.Parse(jwk);

        Assert.Null(KeyVaultContent.PublicKeyPem(document.RootElement, out var message));
        Assert.Contains(error, message);
    }

    [Theory]
    [InlineData("aGk=", "base64", "hi")]
    [InlineData("6869", "hex", "hi")]
    [InlineData("hi", "utf-8", "hi")]
    [InlineData("hi", "", "hi")]
    public void Decode_AppliesObjectEncoding(string value, string encoding, string expected)
    {
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(KeyVaultContent.Decode(value, encoding)));
    }

    [Fact]
    public void SplitCertificatesAndKeys_SeparatesBlocks()
    {
        using var root = SelfSigned("CN=Root");
        using var key = RSA.Create(2048);
        var pem = key.ExportPkcs8PrivateKeyPem() + "\n" + root.ExportCertificatePem() + "\n";

        var (certificates, keys) = KeyVaultContent.SplitCertificatesAndKeys(pem);

        Assert.StartsWith("-----BEGIN CERTIFICATE-----", System.Text.Encoding.UTF8.GetString(certificates));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", System.Text.Encoding.UTF8.GetString(keys));
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issued(string subject, X509Certificate2 issuer)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        return request.Create(issuer, DateTimeOffset.UtcNow.AddMinutes(-30), DateTimeOffset.UtcNow.AddHours(12), [9, 9, 9]);
    }
}
