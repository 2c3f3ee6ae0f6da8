using Csi.ProviderHost;
using Csi.Sandboxes.Common;
using static Csi.Providers.Azure.Tests.Functional.AzureProviderHarness;

namespace Csi.Providers.Azure.Tests.Functional;

public sealed class FlagTests
{
    [Fact]
    public async Task WriteCertAndKeyInSeparateFiles_AddsCrtAndKeyFiles()
    {
        await using var h = await StartAsync("--write-cert-and-key-in-separate-files=true");
        using var ca = SandboxCertificates.CreateCertificateAuthority();
        using var leaf = SandboxCertificates.IssueCertificate(ca, "app.example", clientAuth: false, serverAuth: true);
        h.Vault.ImportCertificate("tls", leaf, [ca]);

        var response = await h.MountAsync(h.Request(Objects(["objectName: tls", "objectType: secret"])));

        Assert.Equal(["tls.crt", "tls.key", "tls"], response.Files.Select(f => f.Path));
        var crt = response.Files[0].Contents.ToStringUtf8();
        var key = response.Files[1].Contents.ToStringUtf8();
        Assert.DoesNotContain("PRIVATE KEY", crt);
        Assert.Equal(2, crt.Split("BEGIN CERTIFICATE").Length - 1);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", key);
        Assert.DoesNotContain("CERTIFICATE", key);
        Assert.Single(response.ObjectVersion);
    }

    [Fact]
    public async Task ConstructPemChainFalse_KeepsThePfxOrder()
    {
        await using var h = await StartAsync("--construct-pem-chain=false");
        using var ca = SandboxCertificates.CreateCertificateAuthority();
        using var leaf = SandboxCertificates.IssueCertificate(ca, "app.example", clientAuth: false, serverAuth: true);
        h.Vault.ImportCertificate("tls", leaf, [ca]);

        var response = await h.MountAsync(h.Request(Objects(["objectName: tls", "objectType: secret"])));

        Assert.Contains("BEGIN CERTIFICATE", response.Files.Single().Contents.ToStringUtf8());
    }

    [Fact]
    public void UpstreamFlags_AreAccepted()
    {
        var host = ProviderHostOptions.Parse(new AzureProvider(), [
            "--endpoint=unix:///tmp/azure.sock", "--construct-pem-chain=true", "--healthz-port=8990", "--healthz-path=/healthz",
            "--healthz-timeout=5s", "--metrics-backend=Prometheus", "--prometheus-port=8899", "--cloud-name=AzureChinaCloud",
            "--write-cert-and-key-in-separate-files=false", "--log-format-json=true", "-v=2"]);

        Assert.Equal((":8990", ":8899"), (host.HealthAddr, host.MetricsAddr));
    }

    [Fact]
    public void Parse_EveryFlag_BindsTheOptions()
    {
        var provider = new AzureProvider();
        ProviderHostOptions.Parse(provider, [
            "--cloud-name=AzureChinaCloud", "--construct-pem-chain=false", "--write-cert-and-key-in-separate-files=true", "--vault-concurrency=7",
            "--healthz-port=8990", "--healthz-path=/live", "--healthz-timeout=7s", "--metrics-backend=prometheus", "--prometheus-port=8899",
            "--token-proxy-url=https://proxy.example:8443", "--sni-name=binding.ests.aks", "--token-proxy-ca-file=/etc/proxy-ca.pem",
            "--enable-pprof=true", "--pprof-port=6061"]);

        var o = provider.Options;
        Assert.Equal(("AzureChinaCloud", false, true, 7), (o.CloudName, o.ConstructPemChain, o.WriteCertAndKeyInSeparateFiles, o.VaultConcurrency));
        Assert.Equal((8990, "/live", TimeSpan.FromSeconds(7), "prometheus", 8899), (o.HealthzPort, o.HealthzPath, o.HealthzTimeout, o.MetricsBackend, o.PrometheusPort));
        Assert.Equal(("https://proxy.example:8443", "binding.ests.aks", "/etc/proxy-ca.pem"), (o.TokenProxyUrl, o.SniName, o.TokenProxyCaFile));
        Assert.Equal((true, 6061), (o.EnablePprof, o.PprofPort));
    }

    [Fact]
    public void Parse_NoFlags_LeavesUpstreamsDefaults()
    {
        var provider = new AzureProvider();
        ProviderHostOptions.Parse(provider, ["--endpoint=/tmp/azure.sock"]);

        var o = provider.Options;
        Assert.Equal(("AzurePublicCloud", true, false, 20), (o.CloudName, o.ConstructPemChain, o.WriteCertAndKeyInSeparateFiles, o.VaultConcurrency));
        Assert.Equal((8989, "/healthz", TimeSpan.FromSeconds(5), "Prometheus", 8898), (o.HealthzPort, o.HealthzPath, o.HealthzTimeout, o.MetricsBackend, o.PrometheusPort));
        Assert.Equal((TokenProxySettings.DefaultUrl.ToString(), "", ""), (o.TokenProxyUrl, o.SniName, o.TokenProxyCaFile));
        Assert.Equal((false, 6060), (o.EnablePprof, o.PprofPort));
    }

    [Fact]
    public void VaultConcurrencyOutOfRange_RefusesToStart()
    {
        var e = Assert.Throws<Csi.Common.Flags.FlagException>(() => ProviderHostOptions.Parse(new AzureProvider(), ["--vault-concurrency=0"]));

        Assert.Equal("--vault-concurrency: must be between 1 and 1000", e.Message);
    }

    [Fact]
    public void PlainHttpTokenProxyUrl_RefusesToStart()
    {
        var e = Assert.Throws<Csi.Common.Flags.FlagException>(() => ProviderHostOptions.Parse(new AzureProvider(), ["--token-proxy-url=http://proxy:8080"]));

        Assert.StartsWith("--token-proxy-url: the token proxy must use https", e.Message);
    }

    [Fact]
    public async Task IdentityBinding_WithTheWrongSniName_FailsTheTlsCheck_AndFetchesNothing()
    {
        await using var h = await StartAsync("--sni-name=aotherclusterxyz.ests.aks");
        h.Vault.SetSecret("s", "v");

        var e = await h.MountFailsAsync(h.Request(
            Objects(["objectName: s", "objectType: secret"]),
            extra: new Dictionary<string, string> { ["useAzureTokenProxy"] = "true", ["clientID"] = BindingClientId },
            secrets: new Dictionary<string, string>(),
            workloadToken: h.WorkloadToken(audience: Csi.Sandboxes.Azure.KeyVaultSandbox.IdentityBindingAudience),
            tokenAudience: Csi.Sandboxes.Azure.KeyVaultSandbox.IdentityBindingAudience));

        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal(0, h.Sandbox.CountRequests("tokenproxy", "/", 200));
        Assert.Equal(0, h.Sandbox.CountRequests("vault", "/secrets/s", 200));
    }

    [Fact]
    public void UnknownCloudName_RefusesToStart()
    {
        var e = Assert.Throws<Csi.Common.Flags.FlagException>(() => ProviderHostOptions.Parse(new AzureProvider(), ["--cloud-name=Nowhere"]));

        Assert.StartsWith("--cloud-name:", e.Message);
    }

    [Fact]
    public void Defaults_AreUpstreamsPorts()
    {
        var host = ProviderHostOptions.Parse(new AzureProvider(), ["--endpoint=/tmp/azure.sock"]);

        Assert.Equal((":8989", ":8898"), (host.HealthAddr, host.MetricsAddr));
    }
}
