using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Csi.Sandboxes.Azure;
using Grpc.Core;
using static Csi.Providers.Azure.Tests.Functional.AzureProviderHarness;

namespace Csi.Providers.Azure.Tests.Functional;

public sealed class MountTests : IAsyncLifetime
{
    private AzureProviderHarness _h = null!;

    public async Task InitializeAsync() => _h = await AzureProviderHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Secret_WithServicePrincipal_IsWrittenWithDefaultModeAndVersion()
    {
        var version = _h.Vault.SetSecret("db-password", "s3cret");

        var response = await _h.MountAsync(_h.Request(Objects(["objectName: db-password", "objectType: secret"])));

        var file = Assert.Single(response.Files);
        Assert.Equal(("db-password", 420, "s3cret"), (file.Path, file.Mode, file.Contents.ToStringUtf8()));
        var objectVersion = Assert.Single(response.ObjectVersion);
        Assert.Equal(("secret/db-password", version), (objectVersion.Id, objectVersion.Version));
    }

    [Fact]
    public async Task Secret_AliasPermissionVersionAndEncoding_AreApplied()
    {
        var v1 = _h.Vault.SetSecret("blob", Convert.ToBase64String("binary-v1"u8));
        _h.Vault.SetSecret("blob", Convert.ToBase64String("binary-v2"u8));
        _h.Vault.SetSecret("hexed", Convert.ToHexString("hex!"u8));

        var response = await _h.MountAsync(_h.Request(Objects(
            ["objectName: blob", "objectType: secret", $"objectVersion: {v1}", "objectAlias: data/blob.bin", "objectEncoding: base64", "filePermission: 0600"],
            ["objectName: hexed", "objectType: secret", "objectEncoding: hex"])));

        Assert.Equal(["data/blob.bin", "hexed"], response.Files.Select(f => f.Path));
        Assert.Equal("binary-v1", response.Files[0].Contents.ToStringUtf8());
        Assert.Equal(384, response.Files[0].Mode);
        Assert.Equal("hex!", response.Files[1].Contents.ToStringUtf8());
        Assert.Equal(v1, response.ObjectVersion[0].Version);
    }

    [Fact]
    public async Task CertificateBackedSecret_Pkcs12_IsKeyThenChainLeafToRoot()
    {
        var (root, intermediate, leaf) = Chain();
        using (root)
        using (intermediate)
        using (leaf)
        {
            // Stored in the PFX as leaf, root, intermediate: the provider must reorder.
            _h.Vault.ImportCertificate("tls", leaf, [root, intermediate]);

            var response = await _h.MountAsync(_h.Request(Objects(["objectName: tls", "objectType: secret"])));

            var pem = response.Files.Single().Contents.ToStringUtf8();
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem);
            Assert.Equal([leaf.Thumbprint, intermediate.Thumbprint, root.Thumbprint], Certificates(pem).Select(c => c.Thumbprint));
            using var key = RSA.Create();
            key.ImportFromPem(pem.AsSpan(0, pem.IndexOf("-----END PRIVATE KEY-----", StringComparison.Ordinal) + 25));
            Assert.Equal(leaf.GetRSAPublicKey()!.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());
        }
    }

    [Fact]
    public async Task CertificateBackedSecret_WithObjectFormatPfx_IsTheBase64PfxUnchanged()
    {
        var (root, intermediate, leaf) = Chain();
        using (root)
        using (intermediate)
        using (leaf)
        {
            _h.Vault.ImportCertificate("tls", leaf, [intermediate, root]);

            var response = await _h.MountAsync(_h.Request(Objects(["objectName: tls", "objectType: secret", "objectFormat: pfx", "objectEncoding: base64"])));

            var pfx = X509CertificateLoader.LoadPkcs12Collection(response.Files.Single().Contents.ToByteArray(), null);
            Assert.Contains(pfx, c => c.HasPrivateKey && c.Thumbprint == leaf.Thumbprint);
        }
    }

    [Fact]
    public async Task CertificateBackedSecret_Pem_IsWrittenAsStored()
    {
        var (root, intermediate, leaf) = Chain();
        using (root)
        using (intermediate)
        using (leaf)
        {
            _h.Vault.ImportCertificate("tls", leaf, [intermediate], CertificateSecretFormat.Pem);

            var response = await _h.MountAsync(_h.Request(Objects(["objectName: tls", "objectType: secret"])));

            var pem = response.Files.Single().Contents.ToStringUtf8();
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem);
            Assert.Equal([leaf.Thumbprint, intermediate.Thumbprint], Certificates(pem).Select(c => c.Thumbprint));
        }
    }

    [Fact]
    public async Task Cert_IsTheLeafOnly()
    {
        var (root, intermediate, leaf) = Chain();
        using (root)
        using (intermediate)
        using (leaf)
        {
            var version = _h.Vault.ImportCertificate("tls", leaf, [intermediate, root]);

            var response = await _h.MountAsync(_h.Request(Objects(["objectName: tls", "objectType: cert"])));

            var pem = response.Files.Single().Contents.ToStringUtf8();
            Assert.Equal([leaf.Thumbprint], Certificates(pem).Select(c => c.Thumbprint));
            Assert.Equal(("cert/tls", version), (response.ObjectVersion[0].Id, response.ObjectVersion[0].Version));
        }
    }

    [Fact]
    public async Task Keys_AreWrittenAsPublicKeyPem()
    {
        var (rsaVersion, rsa) = _h.Vault.CreateRsaKey("rsa");
        var (_, ec) = _h.Vault.CreateEcKey("ec", ECCurve.NamedCurves.nistP384);
        using (rsa)
        using (ec)
        {
            var response = await _h.MountAsync(_h.Request(Objects(["objectName: rsa", "objectType: key"], ["objectName: ec", "objectType: key"])));

            Assert.Equal(rsa.ExportSubjectPublicKeyInfoPem() + "\n", response.Files[0].Contents.ToStringUtf8());
            Assert.Equal(ec.ExportSubjectPublicKeyInfoPem() + "\n", response.Files[1].Contents.ToStringUtf8());
            Assert.Equal(("key/rsa", rsaVersion), (response.ObjectVersion[0].Id, response.ObjectVersion[0].Version));
        }
    }

    [Fact]
    public async Task VersionHistory_WritesTheNewestEnabledVersions_IndexedFromZero()
    {
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        _h.Vault.SetSecret("rotating", "v1", created: start);
        var v2 = _h.Vault.SetSecret("rotating", "v2", created: start.AddHours(1));
        _h.Vault.SetSecret("rotating", "v3-disabled", enabled: false, created: start.AddHours(2));
        var v4 = _h.Vault.SetSecret("rotating", "v4", created: start.AddHours(3));

        var response = await _h.MountAsync(_h.Request(Objects(["objectName: rotating", "objectType: secret", "objectVersionHistory: 2"])));

        Assert.Equal(["rotating/0", "rotating/1"], response.Files.Select(f => f.Path));
        Assert.Equal(["v4", "v2"], response.Files.Select(f => f.Contents.ToStringUtf8()));
        Assert.Equal(["secret/rotating/0", "secret/rotating/1"], response.ObjectVersion.Select(v => v.Id));
        Assert.Equal([v4, v2], response.ObjectVersion.Select(v => v.Version));
    }

    [Fact]
    public async Task WorkloadIdentity_ExchangesThePodToken()
    {
        _h.Vault.SetSecret("s", "wi-value");
        _h.Vault.RestrictAccessTo(WorkloadClientId);

        var response = await _h.MountAsync(_h.Request(
            Objects(["objectName: s", "objectType: secret"]),
            extra: new Dictionary<string, string> { ["clientID"] = WorkloadClientId },
            secrets: new Dictionary<string, string>(),
            workloadToken: _h.WorkloadToken()));

        Assert.Equal("wi-value", response.Files.Single().Contents.ToStringUtf8());
    }

    [Fact]
    public async Task WorkloadIdentity_OneTokenServesRepeatedMounts()
    {
        _h.Vault.SetSecret("s", "wi-value");
        var request = _h.Request(
            Objects(["objectName: s", "objectType: secret"]),
            extra: new Dictionary<string, string> { ["clientID"] = WorkloadClientId },
            secrets: new Dictionary<string, string>(),
            workloadToken: _h.WorkloadToken());

        for (var i = 0; i < 3; i++)
        {
            await _h.MountAsync(request);
        }

        Assert.Equal(1, _h.Sandbox.CountRequests("aad", "/" + _h.Sandbox.TenantId + "/oauth2/v2.0/token", 200));
        Assert.Equal(3, _h.Sandbox.CountRequests("vault", "/secrets/s", 200));
    }

    [Fact]
    public async Task WorkloadIdentity_ForAnUnfederatedServiceAccount_IsUnauthenticated()
    {
        _h.Vault.SetSecret("s", "v");

        var e = await _h.MountFailsAsync(_h.Request(
            Objects(["objectName: s", "objectType: secret"]),
            extra: new Dictionary<string, string> { ["clientID"] = WorkloadClientId },
            secrets: new Dictionary<string, string>(),
            workloadToken: _h.WorkloadToken("intruder")));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task IdentityBinding_ExchangesThePodTokenThroughTheTokenProxy()
    {
        _h.Vault.SetSecret("s", "binding-value");
        _h.Vault.RestrictAccessTo(BindingClientId);

        var response = await _h.MountAsync(_h.Request(
            Objects(["objectName: s", "objectType: secret"]),
            extra: new Dictionary<string, string> { ["useAzureTokenProxy"] = "true", ["clientID"] = BindingClientId },
            secrets: new Dictionary<string, string>(),
            workloadToken: _h.WorkloadToken(audience: KeyVaultSandbox.IdentityBindingAudience),
            tokenAudience: KeyVaultSandbox.IdentityBindingAudience));

        Assert.Equal("binding-value", response.Files.Single().Contents.ToStringUtf8());
        Assert.Equal(1, _h.Sandbox.CountRequests("tokenproxy", "/" + _h.Sandbox.TenantId + "/oauth2/v2.0/token", 200));
        Assert.Equal(0, _h.Sandbox.CountRequests("aad", "/" + _h.Sandbox.TenantId + "/oauth2/v2.0/token"));
        Assert.Equal(0, _h.Sandbox.CountRequests("aad", "/common/discovery/instance"));
    }

    [Fact]
    public async Task IdentityBinding_WithAWorkloadIdentityToken_IsRefusedByTheProxy()
    {
        _h.Vault.SetSecret("s", "v");

        // The proxy's federated credential is for api://AKSIdentityBinding; a token for another audience, presented as
        // the binding token, does not match it.
        var e = await _h.MountFailsAsync(_h.Request(
            Objects(["objectName: s", "objectType: secret"]),
            extra: new Dictionary<string, string> { ["useAzureTokenProxy"] = "true", ["clientID"] = BindingClientId },
            secrets: new Dictionary<string, string>(),
            workloadToken: _h.WorkloadToken(),
            tokenAudience: KeyVaultSandbox.IdentityBindingAudience));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Contains("AADSTS700212", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _h.Sandbox.CountRequests("vault", "/secrets/s", 200));
    }

    [Fact]
    public async Task VMManagedIdentity_UserAssigned_GetsItsTokenFromImds()
    {
        const string identity = "0f0f0f0f-1111-2222-3333-444444444444";
        _h.Sandbox.AddUserAssignedIdentity(identity);
        _h.Vault.RestrictAccessTo(identity);
        _h.Vault.SetSecret("s", "mi-value");

        var response = await _h.MountAsync(_h.Request(
            Objects(["objectName: s", "objectType: secret"]),
            extra: new Dictionary<string, string> { ["useVMManagedIdentity"] = "true", ["userAssignedIdentityID"] = identity },
            secrets: new Dictionary<string, string>()));

        Assert.Equal("mi-value", response.Files.Single().Contents.ToStringUtf8());
        Assert.True(_h.Sandbox.CountRequests("imds", "/metadata/identity/oauth2/token", 200) >= 1);
    }

    [Fact]
    public async Task PodIdentity_GetsItsTokenFromNmi()
    {
        const string identity = "0a0a0a0a-1111-2222-3333-444444444444";
        _h.Sandbox.AddPodIdentity(PodNamespace, "web-1", identity);
        _h.Vault.RestrictAccessTo(identity);
        _h.Vault.SetSecret("s", "nmi-value");

        var response = await _h.MountAsync(_h.Request(
            Objects(["objectName: s", "objectType: secret"]),
            extra: new Dictionary<string, string> { ["usePodIdentity"] = "true" },
            secrets: new Dictionary<string, string>()));

        Assert.Equal("nmi-value", response.Files.Single().Contents.ToStringUtf8());
        Assert.Equal(1, _h.Sandbox.CountRequests("nmi", "/host/token", 200));
    }

    [Fact]
    public async Task PodIdentity_ForAnUnboundPod_IsUnauthenticated()
    {
        _h.Vault.SetSecret("s", "v");

        var e = await _h.MountFailsAsync(_h.Request(
            Objects(["objectName: s", "objectType: secret"]),
            extra: new Dictionary<string, string> { ["usePodIdentity"] = "true" },
            secrets: new Dictionary<string, string>()));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Contains("nmi response failed with status code: 404", e.Status.Detail);
    }

    [Fact]
    public async Task MissingSecret_IsNotFound_NamingTheObject()
    {
        var e = await _h.MountFailsAsync(_h.Request(Objects(["objectName: absent", "objectType: secret"])));

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains("objectType:secret, objectName:absent", e.Status.Detail);
        Assert.Contains("SecretNotFound", e.Status.Detail);
    }

    [Fact]
    public async Task DisabledVersion_IsFailedPrecondition_SayingToEnableIt()
    {
        var version = _h.Vault.SetSecret("s", "v1");
        _h.Vault.SetSecret("s", "v2");
        _h.Vault.SetSecretEnabled("s", version, enabled: false);

        var e = await _h.MountFailsAsync(_h.Request(Objects(["objectName: s", "objectType: secret", "objectVersion: " + version])));

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains("SecretDisabled", e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("enable it in the vault or set objectVersion", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_IsRetriedHonouringRetryAfter()
    {
        _h.Vault.SetSecret("s", "v");
        _h.Sandbox.ThrottleNextRequests(2, TimeSpan.Zero);

        var response = await _h.MountAsync(_h.Request(Objects(["objectName: s", "objectType: secret"])));

        Assert.Equal("v", response.Files.Single().Contents.ToStringUtf8());
        Assert.Equal(2, _h.Sandbox.CountRequests("vault", "/secrets/s", 429));
    }

    [Fact]
    public async Task InvalidParameter_IsInvalidArgument_AndNothingIsFetched()
    {
        var e = await _h.MountFailsAsync(_h.Request(Objects(["objectName: s", "objectType: blob"])));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("Should be secret, key, or cert", e.Status.Detail);
        Assert.Equal(0, _h.Sandbox.CountRequests("vault"));
    }

    [Fact]
    public async Task ManyObjects_AreFetchedAndReturnedInOrder()
    {
        var names = Enumerable.Range(0, 25).Select(i => $"s{i:00}").ToList();
        foreach (var name in names)
        {
            _h.Vault.SetSecret(name, "value-" + name);
        }

        var response = await _h.MountAsync(_h.Request(Objects([.. names.Select(n => new[] { $"objectName: {n}", "objectType: secret" })])));

        Assert.Equal(names, response.Files.Select(f => f.Path));
        Assert.All(response.Files, f => Assert.Equal("value-" + f.Path, f.Contents.ToStringUtf8()));
    }

    [Fact]
    public async Task SecretValues_NeverAppearInErrors()
    {
        _h.Vault.SetSecret("s", "do-not-leak");

        var e = await _h.MountFailsAsync(_h.Request(Objects(["objectName: s", "objectType: secret", "objectEncoding: base64"])));

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.DoesNotContain("do-not-leak", e.Status.Detail);
        Assert.DoesNotContain(SpClientSecret, e.Status.Detail);
    }

    [Fact]
    public async Task Logs_NameObjectsButNeverValuesOrCredentials()
    {
        _h.Vault.SetSecret("s", "log-leak-canary");
        var jwt = _h.WorkloadToken();

        await _h.MountAsync(_h.Request(Objects(["objectName: s", "objectType: secret"])));
        await _h.MountAsync(_h.Request(
            Objects(["objectName: s", "objectType: secret"]),
            extra: new Dictionary<string, string> { ["clientID"] = WorkloadClientId },
            secrets: new Dictionary<string, string>(),
            workloadToken: jwt));
        await _h.MountFailsAsync(_h.Request(Objects(["objectName: absent", "objectType: secret"])));

        var logs = _h.Logs.All;
        Assert.Contains("secret/s", logs);
        Assert.Contains("absent", logs);
        Assert.DoesNotContain("log-leak-canary", logs);
        Assert.DoesNotContain(SpClientSecret, logs);
        Assert.DoesNotContain(jwt.Split('.')[2], logs);
        Assert.DoesNotContain("kvsandbox.", logs);
    }

    private static List<X509Certificate2> Certificates(string pem)
    {
        var result = new List<X509Certificate2>();
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                result.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(rest[fields.Base64Data].ToString())));
            }

            rest = rest[fields.Location.End..];
        }

        return result;
    }

    /// <summary>A root CA, an intermediate CA it signs, and a leaf (with key) the intermediate signs.</summary>
    private static (X509Certificate2 Root, X509Certificate2 Intermediate, X509Certificate2 Leaf) Chain()
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = RSA.Create(2048);
        var rootRequest = CaRequest("CN=Test Root", rootKey);
        var root = rootRequest.CreateSelfSigned(now.AddHours(-1), now.AddDays(30));

        using var intermediateKey = RSA.Create(2048);
        var intermediateRequest = CaRequest("CN=Test Intermediate", intermediateKey);
        intermediateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var intermediatePublic = intermediateRequest.Create(root, now.AddHours(-1), now.AddDays(20), [1, 2, 3, 4]);
        var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);

        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=app.example", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(leafRequest.PublicKey, false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
        using var leafPublic = leafRequest.Create(intermediate, now.AddHours(-1), now.AddDays(10), [5, 6, 7, 8]);
        var leaf = leafPublic.CopyWithPrivateKey(leafKey);
        return (root, intermediate, leaf);
    }

    private static CertificateRequest CaRequest(string subject, RSA key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }
}
