using Csi.ProviderHost;
using static Csi.Providers.Azure.Tests.Unit.ParameterFixture;

namespace Csi.Providers.Azure.Tests.Unit;

public sealed class ParametersTests
{
    [Fact]
    public void Parse_ReadsVaultTenantAndVaultUri()
    {
        var p = Parse(Parameters());

        Assert.Equal("kv1", p.KeyVaultName);
        Assert.Equal("tenant-1", p.TenantId);
        Assert.Equal(new Uri("https://kv1.vault.azure.net/"), p.VaultUri);
        Assert.Same(AzureCloud.Public, p.Cloud);
    }

    [Fact]
    public void Parse_TrimsParameterValues()
    {
        var parameters = Parameters();
        parameters["keyvaultName"] = "  kv1 \n";
        parameters["tenantID"] = " tenant-1 ";

        var p = Parse(parameters);

        Assert.Equal(("kv1", "tenant-1"), (p.KeyVaultName, p.TenantId));
    }

    [Fact]
    public void Parse_AcceptsDeprecatedTenantId()
    {
        var parameters = Parameters();
        parameters.Remove("tenantID");
        parameters["tenantId"] = "old-tenant";

        Assert.Equal("old-tenant", Parse(parameters).TenantId);
    }

    [Fact]
    public void Parse_PrefersTenantIDOverDeprecatedSpelling()
    {
        var parameters = Parameters();
        parameters["tenantId"] = "old-tenant";

        Assert.Equal("tenant-1", Parse(parameters).TenantId);
    }

    [Fact]
    public void MissingTenant_IsRejected()
    {
        var parameters = Parameters();
        parameters.Remove("tenantID");

        Assert.StartsWith("tenantId is not provided", Error(parameters));
    }

    [Fact]
    public void MissingVaultName_IsRejected()
    {
        var parameters = Parameters();
        parameters["keyvaultName"] = " ";

        Assert.StartsWith("keyvaultName is not provided", Error(parameters));
    }

    [Theory]
    [InlineData("kv")]
    [InlineData("a-very-long-vault-name-25")]
    public void VaultName_OutsideThreeTo24Chars_IsRejected(string name)
    {
        var parameters = Parameters();
        parameters["keyvaultName"] = name;

        Assert.Contains("must be between 3 and 24 chars", Error(parameters));
    }

    [Fact]
    public void VaultName_WithInvalidCharacters_IsRejected()
    {
        var parameters = Parameters();
        parameters["keyvaultName"] = "kv_1";

        Assert.Contains("must match [-a-zA-Z0-9]{3,24}", Error(parameters));
    }

    [Fact]
    public void VaultName_IsNotCheckedWhenThereAreNoObjects()
    {
        var parameters = Parameters("array: []");
        parameters["keyvaultName"] = "kv_1";

        Assert.Empty(Parse(parameters).Objects);
    }

    [Fact]
    public void MissingObjects_IsRejected()
    {
        Assert.StartsWith("objects is not set", Error(Parameters(objects: null)));
    }

    [Theory]
    [InlineData("csi.storage.k8s.io/pod.name", "pod name is not provided")]
    [InlineData("csi.storage.k8s.io/pod.namespace", "pod namespace is not provided")]
    public void MissingPodInfo_IsRejected(string key, string message)
    {
        var parameters = Parameters();
        parameters.Remove(key);

        Assert.StartsWith(message, Error(parameters));
    }

    [Theory]
    [InlineData("AzurePublicCloud", "vault.azure.net")]
    [InlineData("AzureUSGovernmentCloud", "vault.usgovcloudapi.net")]
    [InlineData("azurechinacloud", "vault.azure.cn")]
    [InlineData("AzureGermanCloud", "vault.microsoftazure.de")]
    public void CloudName_SelectsTheVaultSuffix(string cloud, string suffix)
    {
        var parameters = Parameters();
        parameters["cloudName"] = cloud;

        Assert.Equal(new Uri($"https://kv1.{suffix}/"), Parse(parameters).VaultUri);
    }

    [Fact]
    public void CloudName_Unknown_IsRejected()
    {
        var parameters = Parameters();
        parameters["cloudName"] = "MarsCloud";

        var message = Error(parameters);

        Assert.StartsWith("cloudName: cloudName MarsCloud is not valid", message);
        Assert.Contains("There is no cloud environment matching the name \"MARSCLOUD\"", message);
    }

    [Fact]
    public void CloudName_AzureStackCloud_ReadsTheEnvironmentFile()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{"name":"AzureStackCloud","activeDirectoryEndpoint":"https://login.stack.local/","keyVaultEndpoint":"https://vault.stack.local/","keyVaultDNSSuffix":"vault.stack.local"}""");
            var parameters = Parameters();
            parameters["cloudName"] = "AzureStackCloud";
            parameters["cloudEnvFileName"] = file;

            var p = Parse(parameters);

            Assert.Equal(new Uri("https://kv1.vault.stack.local/"), p.VaultUri);
            Assert.Equal("https://vault.stack.local/.default", p.Cloud.KeyVaultScope);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void CloudName_AzureStackCloud_WithoutFile_IsRejected()
    {
        var parameters = Parameters();
        parameters["cloudName"] = "AzureStackCloud";
        parameters["cloudEnvFileName"] = "/nonexistent/cloud.json";

        Assert.Contains("cannot read the cloud environment file /nonexistent/cloud.json", Error(parameters));
    }

    [Fact]
    public void DefaultCloud_ComesFromTheCaller()
    {
        var p = AzureParametersParser.Parse(Parameters(), SpSecrets(), new Dictionary<string, ServiceAccountToken>(), AzureCloud.China, out _);

        Assert.Equal(new Uri("https://kv1.vault.azure.cn/"), p.VaultUri);
    }
}
