using Csi.ProviderHost;

namespace Csi.Providers.Vault.Tests.Unit;

public class VaultMountConfigTests
{
    private const string Objects = "- objectName: a\n  secretPath: secret/data/a";

    private static VaultMountConfig Parse(Dictionary<string, string> parameters, VaultProviderOptions? flags = null, Dictionary<string, string>? environment = null)
    {
        parameters.TryAdd("roleName", "app");
        parameters.TryAdd("objects", Objects);
        return VaultMountConfig.Parse(parameters, flags ?? new VaultProviderOptions(), VaultEnvironment.Read(n => environment?.GetValueOrDefault(n)));
    }

    private static string Fails(Dictionary<string, string> parameters, VaultProviderOptions? flags = null)
    {
        var error = Assert.Throws<ProviderException>(() => Parse(parameters, flags));
        Assert.Equal((ProviderErrorKind.InvalidArgument, "InvalidParameter"), (error.Kind, error.ErrorCode));
        return error.Message;
    }

    [Fact]
    public void Parse_Defaults_AreUpstreams()
    {
        var config = Parse([]);

        Assert.Equal(("app", "kubernetes", "vault"), (config.RoleName, config.AuthMount.Value, config.Audience));
        Assert.Equal("https://127.0.0.1:8200", config.Connection.Display);
        Assert.Equal(("default", ""), (config.Connection.AddressSource, config.Connection.Namespace));
        Assert.Equal(VaultTlsSettings.None, config.Connection.Tls);
        Assert.Single(config.Objects);
    }

    [Fact]
    public void Parse_ReadsEveryParameter()
    {
        var config = Parse(new()
        {
            ["roleName"] = "web",
            ["vaultAddress"] = "https://vault.example.com:8200/prefix",
            ["vaultNamespace"] = "team-a/child",
            ["vaultAuthMountPath"] = "/jwt/",
            ["vaultCACertPath"] = "/ca.pem",
            ["vaultCADirectory"] = "/cas",
            ["vaultTLSServerName"] = "vault.internal",
            ["vaultTLSClientCertPath"] = "/tls.crt",
            ["vaultTLSClientKeyPath"] = "/tls.key",
            ["vaultSkipTLSVerify"] = "True",
            ["audience"] = "vault-prod",
        });

        Assert.Equal(("web", "jwt", "parameter vaultAuthMountPath", "vault-prod"), (config.RoleName, config.AuthMount.Value, config.AuthMount.Source, config.Audience));
        Assert.Equal(("https://vault.example.com:8200/prefix", "team-a/child"), (config.Connection.Display, config.Connection.Namespace));
        var tls = config.Connection.Tls;
        Assert.Equal(("/ca.pem", "/cas", "vault.internal", "/tls.crt", "/tls.key", true),
            (tls.CaCert!.Value, tls.CaDirectory!.Value, tls.ServerName!.Value, tls.ClientCert!.Value, tls.ClientKey!.Value, tls.SkipVerify));
    }

    [Fact]
    public void Parse_KubernetesMountPath_IsTheAuthMount()
        => Assert.Equal("k8s-cluster-2", Parse(new() { ["vaultKubernetesMountPath"] = "k8s-cluster-2" }).AuthMount.Value);

    [Fact]
    public void Parse_UnixSocketAddress_IsAccepted()
    {
        var connection = Parse(new() { ["vaultAddress"] = "unix:///run/vault/agent.sock" }).Connection;
        Assert.Equal(("/run/vault/agent.sock", "unix:///run/vault/agent.sock"), (connection.UnixSocketPath, connection.Display));
    }

    public static TheoryData<Dictionary<string, string>, string> BadParameters => new()
    {
        { new() { ["roleName"] = "" }, "roleName: missing 'roleName' in SecretProviderClass definition" },
        { new() { ["vaultKubernetesMountPath"] = "a", ["vaultAuthMountPath"] = "b" }, "vaultKubernetesMountPath, vaultAuthMountPath: cannot set both vaultKubernetesMountPath and vaultAuthMountPath" },
        { new() { ["vaultAuthMountPath"] = "/" }, "parameter vaultAuthMountPath: \"\" is not an auth mount path" },
        { new() { ["vaultKubernetesMountPath"] = "a/../b" }, "parameter vaultKubernetesMountPath: \"a/../b\" is not an auth mount path" },
        { new() { ["vaultSkipTLSVerify"] = "yes" }, "vaultSkipTLSVerify: strconv.ParseBool: parsing \"yes\": invalid syntax" },
        { new() { ["vaultAddress"] = "vault:8200" }, "parameter vaultAddress: \"vault:8200\" is not a Vault address" },
        { new() { ["vaultAddress"] = "ftp://vault" }, "parameter vaultAddress: \"ftp://vault\" is not a Vault address" },
        { new() { ["vaultAddress"] = "unix://relative.sock" }, "parameter vaultAddress: \"unix://relative.sock\" is not a Vault address" },
        { new() { ["vaultTLSClientCertPath"] = "/tls.crt" }, "parameter vaultTLSClientCertPath: both client cert and client key must be provided; set parameter vaultTLSClientKeyPath" },
        { new() { ["vaultTLSClientKeyPath"] = "/tls.key" }, "parameter vaultTLSClientKeyPath: both client cert and client key must be provided; set parameter vaultTLSClientCertPath" },
        { new() { ["objects"] = "" }, "objects: no secrets configured" },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public void Parse_BadParameter_NamesItAndTheFix(Dictionary<string, string> parameters, string expected)
        => Assert.StartsWith(expected, Fails(parameters), StringComparison.Ordinal);

    [Fact]
    public void Parse_Address_ParameterBeatsFlagBeatsEnvironment()
    {
        var flags = new VaultProviderOptions { VaultAddr = "https://flag:8200" };
        var environment = new Dictionary<string, string> { ["VAULT_ADDR"] = "https://env:8200" };

        Assert.Equal("https://spc:8200", Parse(new() { ["vaultAddress"] = "https://spc:8200" }, flags, environment).Connection.Display);
        Assert.Equal(("https://flag:8200", "flag -vault-addr"), (Parse([], flags, environment).Connection.Display, Parse([], flags, environment).Connection.AddressSource));
        Assert.Equal(("https://env:8200", "VAULT_ADDR"), (Parse([], null, environment).Connection.Display, Parse([], null, environment).Connection.AddressSource));
        environment["VAULT_AGENT_ADDR"] = "http://agent:8100";
        Assert.Equal(("http://agent:8100", "VAULT_AGENT_ADDR"), (Parse([], null, environment).Connection.Display, Parse([], null, environment).Connection.AddressSource));
    }

    [Fact]
    public void Parse_NamespaceAndMount_ParameterBeatsFlagBeatsEnvironment()
    {
        var flags = new VaultProviderOptions { VaultNamespace = "flag-ns", VaultMount = "flag-mount" };
        var environment = new Dictionary<string, string> { ["VAULT_NAMESPACE"] = "env-ns" };

        var fromParameters = Parse(new() { ["vaultNamespace"] = "spc-ns", ["vaultKubernetesMountPath"] = "spc-mount" }, flags, environment);
        Assert.Equal(("spc-ns", "spc-mount"), (fromParameters.Connection.Namespace, fromParameters.AuthMount.Value));
        var fromFlags = Parse([], flags, environment);
        Assert.Equal(("flag-ns", "flag-mount", "flag -vault-mount"), (fromFlags.Connection.Namespace, fromFlags.AuthMount.Value, fromFlags.AuthMount.Source));
        Assert.Equal("env-ns", Parse([], null, environment).Connection.Namespace);
    }

    [Fact]
    public void Parse_Tls_LayersAsTheGoClient()
    {
        var flags = new VaultProviderOptions { TlsCaCert = "/flag-ca.pem", TlsClientCert = "/flag.crt", TlsClientKey = "/flag.key", TlsServerName = "flag-name" };
        var environment = new Dictionary<string, string>
        {
            ["VAULT_CACERT"] = "/env-ca.pem", ["VAULT_CAPATH"] = "/env-cas", ["VAULT_CLIENT_CERT"] = "/env.crt", ["VAULT_CLIENT_KEY"] = "/env.key",
            ["VAULT_TLS_SERVER_NAME"] = "env-name", ["VAULT_SKIP_VERIFY"] = "true",
        };

        // A layer that sets a CA directory replaces the CA file of lower layers.
        var tls = Parse(new() { ["vaultCADirectory"] = "/spc-cas" }, flags, environment).Connection.Tls;
        Assert.Equal((null, "/spc-cas", "/flag.crt", "/flag.key", "flag-name", true), (tls.CaCert?.Value, tls.CaDirectory?.Value, tls.ClientCert?.Value, tls.ClientKey?.Value, tls.ServerName?.Value, tls.SkipVerify));

        tls = Parse([], null, environment).Connection.Tls;
        Assert.Equal(("/env-ca.pem", "/env-cas", "/env.crt", "VAULT_CLIENT_KEY", "env-name"), (tls.CaCert?.Value, tls.CaDirectory?.Value, tls.ClientCert?.Value, tls.ClientKey?.Source, tls.ServerName?.Value));
    }

    [Fact]
    public void Parse_SkipVerify_ExplicitParameterWins_ElseFlagOrEnvironment()
    {
        var environment = new Dictionary<string, string> { ["VAULT_SKIP_VERIFY"] = "1" };
        Assert.False(Parse(new() { ["vaultSkipTLSVerify"] = "false" }, new VaultProviderOptions { TlsSkipVerify = true }, environment).Connection.Tls.SkipVerify);
        Assert.True(Parse([], null, environment).Connection.Tls.SkipVerify);
        Assert.True(Parse([], new VaultProviderOptions { TlsSkipVerify = true }).Connection.Tls.SkipVerify);
        Assert.False(Parse([]).Connection.Tls.SkipVerify);
    }

    [Fact]
    public void Parse_DeprecatedParameters_AreReportedAndIgnored()
    {
        var ignored = new List<string>();
        VaultMountConfig.Parse(
            new Dictionary<string, string> { ["roleName"] = "r", ["objects"] = Objects, ["vaultCAPem"] = "x", ["kubernetesServiceAccountPath"] = "/t" },
            new VaultProviderOptions(), VaultEnvironment.Read(_ => null), (_, key) => ignored.Add(key));
        Assert.Equal(["kubernetesServiceAccountPath", "vaultCAPem"], ignored);
    }

    [Fact]
    public void TokenCacheKey_IgnoresObjects_ButSeparatesPods()
    {
        var pod = new PodInfo("web", "default", "uid-1", "app");
        var a = Parse([]).TokenCacheKey(pod);
        var b = Parse(new() { ["objects"] = "- objectName: other\n  secretPath: kv/x" }).TokenCacheKey(pod);
        var otherPod = Parse([]).TokenCacheKey(pod with { Uid = "uid-2" });
        var otherRole = Parse(new() { ["roleName"] = "admin" }).TokenCacheKey(pod);

        Assert.Equal(a, b);
        Assert.NotEqual(a, otherPod);
        Assert.NotEqual(a, otherRole);
    }
}
