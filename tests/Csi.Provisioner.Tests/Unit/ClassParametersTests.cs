using Csi.Provisioner.Provisioning;

namespace Csi.Provisioner.Tests.Unit;

public class ClassParametersTests
{
    [Fact]
    public void Parse_RemovesTheProvisionersKeys_AndKeepsTheDriversUnchanged()
    {
        var parameters = ClassParameters.Parse("fast", new Dictionary<string, string>
        {
            ["pool"] = "fast",
            ["csi.storage.k8s.io/fstype"] = "xfs",
            ["csi.storage.k8s.io/provisioner-secret-name"] = "creds",
            ["csi.storage.k8s.io/provisioner-secret-namespace"] = "kube-system",
        });

        Assert.Equal(new Dictionary<string, string> { ["pool"] = "fast" }, parameters.DriverParameters);
        Assert.Equal("xfs", parameters.FsType);
        Assert.Equal("creds", parameters.Secrets[SecretKind.Provisioner].NameTemplate);
        Assert.Equal("kube-system", parameters.Secrets[SecretKind.Provisioner].NamespaceTemplate);
    }

    [Fact]
    public void Parse_UnknownKeyOfTheReservedPrefix_IsAnErrorNamingTheKey()
    {
        var error = Assert.Throws<ProvisioningException>(() => ClassParameters.Parse("fast", new Dictionary<string, string> { ["csi.storage.k8s.io/fs-type"] = "xfs" }));
        Assert.Contains("\"csi.storage.k8s.io/fs-type\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("StorageClass \"fast\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SecretNameWithoutNamespace_SaysWhichIsMissing()
    {
        var error = Assert.Throws<ProvisioningException>(() => ClassParameters.Parse("fast", new Dictionary<string, string> { ["csi.storage.k8s.io/node-stage-secret-name"] = "s" }));
        Assert.Contains("csi.storage.k8s.io/node-stage-secret-namespace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DefaultSecretPair_AppliesToEveryKind()
    {
        var parameters = ClassParameters.Parse("fast", new Dictionary<string, string>
        {
            ["csi.storage.k8s.io/secret-name"] = "all",
            ["csi.storage.k8s.io/secret-namespace"] = "ns",
        });
        Assert.Equal(7, parameters.Secrets.Count);
        Assert.All(parameters.Secrets.Values, s => Assert.Equal("all", s.NameTemplate));
        Assert.Empty(parameters.DriverParameters);
    }
}
