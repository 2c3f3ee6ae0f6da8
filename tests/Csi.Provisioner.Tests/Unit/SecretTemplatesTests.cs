using Csi.Provisioner.Provisioning;

namespace Csi.Provisioner.Tests.Unit;

public class SecretTemplatesTests
{
    private static SecretTemplate Template(string name, string ns) => new("csi.storage.k8s.io/provisioner-secret-name", name, "csi.storage.k8s.io/provisioner-secret-namespace", ns);

    [Fact]
    public void Resolve_ReplacesEveryPlaceholder()
    {
        var claim = Objects.Claim(annotations: new() { ["team"] = "blue" });
        var reference = SecretTemplates.Resolve("fast", Template("${pvc.name}-${pvc.annotations['team']}-${pv.name}", "${pvc.namespace}"), "pvc-1", claim);
        Assert.Equal("data-blue-pvc-1", reference.Name);
        Assert.Equal("apps", reference.Namespace);
    }

    [Fact]
    public void Resolve_ClaimNameInTheNamespace_IsRefused()
    {
        var error = Assert.Throws<ProvisioningException>(() => SecretTemplates.Resolve("fast", Template("s", "${pvc.name}"), "pvc-1", Objects.Claim()));
        Assert.Contains("csi.storage.k8s.io/provisioner-secret-namespace", error.Message, StringComparison.Ordinal);
        Assert.Contains("${pvc.name}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_MissingAnnotation_NamesTheAnnotationAndTheClaim()
    {
        var error = Assert.Throws<ProvisioningException>(() => SecretTemplates.Resolve("fast", Template("${pvc.annotations['owner']}", "ns"), "pvc-1", Objects.Claim()));
        Assert.Contains("\"owner\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("apps/data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ResultThatIsNotADnsName_IsRefused()
    {
        var error = Assert.Throws<ProvisioningException>(() => SecretTemplates.Resolve("fast", Template("Bad_Name", "ns"), "pvc-1", Objects.Claim()));
        Assert.Contains("not a valid Secret name", error.Message, StringComparison.Ordinal);
    }
}
