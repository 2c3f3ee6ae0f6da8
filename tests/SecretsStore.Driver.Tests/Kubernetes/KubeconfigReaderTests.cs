using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Csi.Kubernetes;

namespace SecretsStore.Driver.Tests.Kubernetes;

public sealed class KubeconfigReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Read_TokenAndCaData_FromTheCurrentContext()
    {
        using var ca = SelfSigned("test-ca");
        var path = Write($$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: other
              cluster: { server: "https://other:6443" }
            - name: main
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority-data: {{Base64(ca.ExportCertificatePem())}}
            contexts:
            - name: ctx
              context: { cluster: main, user: admin }
            current-context: ctx
            users:
            - name: admin
              user: { token: abc.def }
            """);

        var connection = KubernetesConnection.FromKubeconfig(path);

        Assert.Equal(new Uri("https://127.0.0.1:6443"), connection.Server);
        Assert.Equal("abc.def", connection.Token!.Get());
        Assert.Equal(ca.Thumbprint, Assert.Single(connection.CertificateAuthorities).Thumbprint);
        Assert.Contains("context ctx", connection.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TokenFile_IsReadAgainAfterInvalidate()
    {
        File.WriteAllText(Path.Combine(_dir, "token"), "first\n");
        var path = Write("""
            clusters: [ { name: c, cluster: { server: "http://127.0.0.1:8080", insecure-skip-tls-verify: true } } ]
            contexts: [ { name: x, context: { cluster: c, user: u } } ]
            current-context: x
            users: [ { name: u, user: { tokenFile: token } } ]
            """);
        var connection = KubernetesConnection.FromKubeconfig(path);
        Assert.Equal("first", connection.Token!.Get());
        Assert.True(connection.InsecureSkipTlsVerify);

        File.WriteAllText(Path.Combine(_dir, "token"), "second");
        Assert.Equal("first", connection.Token.Get());
        Assert.True(connection.Token.Invalidate());

        Assert.Equal("second", connection.Token.Get());
    }

    [Fact]
    public void Read_ClientCertificateFiles_LoadsCertificateWithKey()
    {
        using var key = RSA.Create(2048);
        using var cert = new CertificateRequest("CN=driver", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(_dir, "client.crt"), cert.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_dir, "client.key"), key.ExportPkcs8PrivateKeyPem());
        var path = Write($$"""
            clusters: [ { name: c, cluster: { server: "https://k:443" } } ]
            contexts: [ { name: x, context: { cluster: c, user: u } } ]
            current-context: x
            users: [ { name: u, user: { client-certificate: client.crt, client-key-data: {{Base64(key.ExportPkcs8PrivateKeyPem())}} } } ]
            """);

        var connection = KubernetesConnection.FromKubeconfig(path);

        Assert.NotNull(connection.ClientCertificate);
        Assert.True(connection.ClientCertificate.HasPrivateKey);
        Assert.Equal(cert.Thumbprint, connection.ClientCertificate.Thumbprint);
        Assert.Null(connection.Token);
    }

    [Theory]
    [InlineData("current-context: nope\ncontexts: []", "contexts has no entry named nope")]
    [InlineData("clusters: []\n", "current-context is not set")]
    [InlineData("current-context: x\ncontexts: [ { name: x, context: { cluster: c, user: u } } ]\nclusters: [ { name: c, cluster: { server: ftp://x } } ]\nusers: [ { name: u, user: { token: t } } ]", "server \"ftp://x\" is not an http(s) URL")]
    [InlineData("current-context: x\ncontexts: [ { name: x, context: { cluster: c, user: u } } ]\nclusters: [ { name: c, cluster: { server: https://x } } ]\nusers: [ { name: u, user: { exec: { command: aws } } } ]", "exec or auth-provider plugin")]
    public void Read_Unusable_SaysWhy(string yaml, string expected)
    {
        var error = Assert.Throws<KubeconfigException>(() => KubernetesConnection.FromKubeconfig(Write(yaml)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, "config");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create();
        return new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
