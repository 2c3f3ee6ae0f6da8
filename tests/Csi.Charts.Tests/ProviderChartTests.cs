using System.Text.Json.Nodes;
using Csi.ProviderHost;
using Csi.Providers.Aws;
using Csi.Providers.Azure;
using Csi.Providers.Vault;

namespace Csi.Charts.Tests;

/// <summary>Facts of the provider charts' renders: the providers dir, flags our providers accept, RBAC, resources.</summary>
public sealed class ProviderChartTests
{
    public static TheoryData<string, bool> ProviderValueSets()
    {
        var data = new TheoryData<string, bool>();
        foreach (var chart in new[] { "vault-csi-provider", "csi-secrets-store-provider-azure", "secrets-store-csi-driver-provider-aws" })
        {
            data.Add(chart, false);
            data.Add(chart, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ProviderValueSets))]
    public void ProviderArguments_AreAcceptedByTheProvidersOwnFlagParser_AndPutTheSocketInTheProvidersDir(string chart, bool nonDefault)
    {
        var (daemonSet, container) = Provider(Helm.Render(chart, ChartValueSets.For(chart, nonDefault)), chart);
        SecretsProvider provider = chart switch
        {
            "vault-csi-provider" => new VaultProvider(),
            "csi-secrets-store-provider-azure" => new AzureProvider(),
            _ => new AwsProvider(),
        };

        var options = ProviderHostOptions.Parse(provider, Render.Arguments(container));

        var socket = options.SocketPath(provider.Name);
        var mount = Assert.Single(container["volumeMounts"]!.AsArray(), m => socket.StartsWith((string)m!["mountPath"]! + "/", StringComparison.Ordinal))!;
        var volume = Assert.Single(daemonSet["spec.template.spec.volumes"]!.AsArray(), v => (string)v!["name"]! == (string)mount["name"]!)!;
        Assert.Equal("/var/run/secrets-store-csi-providers", (string)volume["hostPath"]!["path"]!);
        Assert.Equal(provider.Name + ".sock", Path.GetFileName(socket));
    }

    [Fact]
    public void VaultProvider_HasNoRoleAtAll_AndNoApiToken_BecauseItCallsNoKubernetesApi()
    {
        var render = Helm.Render("vault-csi-provider");

        Assert.Empty(render.OfKind("ClusterRole"));
        Assert.Empty(render.OfKind("Role"));
        Assert.Empty(render.OfKind("RoleBinding"));
        Assert.Empty(render.OfKind("ClusterRoleBinding"));
        Assert.False((bool)render.One("ServiceAccount", "csi-vault-csi-provider")["automountServiceAccountToken"]!);
        var (daemonSet, container) = Provider(render, "vault-csi-provider");
        Assert.False((bool)daemonSet["spec.template.spec.automountServiceAccountToken"]!);
        Assert.Equal("/health/ready", (string)container["livenessProbe"]!["httpGet"]!["path"]!);
        Assert.Equal(8080, (int)container["readinessProbe"]!["httpGet"]!["port"]!);
        Assert.Null(container["env"]);

        var external = Provider(Helm.Render("vault-csi-provider", "global.externalVaultAddr=https://vault.example:8200"), "vault-csi-provider").Container;
        Assert.Equal("https://vault.example:8200", (string)external["env"]![0]!["value"]!);
        Assert.Contains("--log-level=debug", Render.Arguments(Provider(Helm.Render("vault-csi-provider", "csi.debug=true"), "vault-csi-provider").Container));
    }

    [Fact]
    public void AzureProvider_HasNoRole_UsesHostNetworkAsUpstream_AndUpstreamsResources()
    {
        var render = Helm.Render("csi-secrets-store-provider-azure", "secrets-store-csi-driver.install=false");

        Assert.Empty(render.OfKind("ClusterRole"));
        Assert.Empty(render.OfKind("Role"));
        var (daemonSet, container) = Provider(render, "csi-secrets-store-provider-azure");
        Assert.True((bool)daemonSet["spec.template.spec.hostNetwork"]!);
        Assert.Equal("ClusterFirstWithHostNet", (string)daemonSet["spec.template.spec.dnsPolicy"]!);
        Assert.Equal("50m", (string)container["resources"]!["limits"]!["cpu"]!);
        Assert.Equal("100Mi", (string)container["resources"]!["requests"]!["memory"]!);
        Assert.False((bool)container["securityContext"]!["allowPrivilegeEscalation"]!);
        Assert.Equal(["ALL"], container["securityContext"]!["capabilities"]!["drop"]!.AsArray().Select(c => (string)c!));
        Assert.Contains("--construct-pem-chain=true", Render.Arguments(container));
        Assert.Contains("--construct-pem-chain=false", Render.Arguments(Provider(Helm.Render("csi-secrets-store-provider-azure", "constructPEMChain=false"), "csi-secrets-store-provider-azure").Container));
    }

    [Fact]
    public void AzureChart_InstallsTheDriverWithTheAzureTokenAudiences_UnlessToldNot()
    {
        var render = Helm.Render("csi-secrets-store-provider-azure");
        var csiDriver = render.One("CSIDriver", "secrets-store.csi.k8s.io");
        Assert.Equal(["api://AzureADTokenExchange", "api://AKSIdentityBinding"], csiDriver["spec.tokenRequests"]!.AsArray().Select(t => (string)t!["audience"]!));
        Assert.NotNull(render.Find("DaemonSet", "secrets-store-csi-driver"));

        Assert.Null(Helm.Render("csi-secrets-store-provider-azure", "secrets-store-csi-driver.install=false").Find("CSIDriver", "secrets-store.csi.k8s.io"));
    }

    [Fact]
    public void AwsProvider_ReadsServiceAccounts_AndPodsAndNodesOnlyWithoutARegion()
    {
        var render = Helm.Render("secrets-store-csi-driver-provider-aws", "secrets-store-csi-driver.install=false");
        var role = render.One("ClusterRole", "csi-secrets-store-csi-driver-provider-aws-cluster-role");
        Assert.Equal(new Dictionary<string, SortedSet<string>> { ["/serviceaccounts"] = ["get"], ["/pods"] = ["get"], ["/nodes"] = ["get"] }, Render.Rules(role));
        Assert.Equal("csi-secrets-store-csi-driver-provider-aws", (string)render.One("ClusterRoleBinding", "csi-secrets-store-csi-driver-provider-aws-cluster-role-binding")["subjects.0.name"]!);

        var regional = Helm.Render("secrets-store-csi-driver-provider-aws", "awsRegion=eu-west-1", "secrets-store-csi-driver.install=false");
        Assert.Equal(new Dictionary<string, SortedSet<string>> { ["/serviceaccounts"] = ["get"] },
            Render.Rules(regional.One("ClusterRole", "csi-secrets-store-csi-driver-provider-aws-cluster-role")));
        var container = Provider(regional, "secrets-store-csi-driver-provider-aws").Container;
        Assert.Equal("eu-west-1", (string)container["env"]!.AsArray().Single(e => (string)e!["name"]! == "AWS_REGION")!["value"]!);
    }

    [Fact]
    public void AwsProvider_HasUpstreamsResources_MountsNothingOfKubelets_AndIsNotPrivileged()
    {
        var (daemonSet, container) = Provider(Helm.Render("secrets-store-csi-driver-provider-aws"), "secrets-store-csi-driver-provider-aws");

        Assert.Equal("50m", (string)container["resources"]!["limits"]!["cpu"]!);
        Assert.Equal("100Mi", (string)container["resources"]!["limits"]!["memory"]!);
        Assert.False((bool)container["securityContext"]!["privileged"]!);
        Assert.False((bool)container["securityContext"]!["allowPrivilegeEscalation"]!);
        Assert.False((bool)daemonSet["spec.template.spec.hostNetwork"]!);
        // The driver writes the files: the provider needs no view of the pods' volumes.
        Assert.Single(daemonSet["spec.template.spec.volumes"]!.AsArray());
    }

    [Fact]
    public void AwsChart_InstallsTheDriverWithTheAwsTokenAudiences()
    {
        var csiDriver = Helm.Render("secrets-store-csi-driver-provider-aws").One("CSIDriver", "secrets-store.csi.k8s.io");

        Assert.Equal(["sts.amazonaws.com", "pods.eks.amazonaws.com"], csiDriver["spec.tokenRequests"]!.AsArray().Select(t => (string)t!["audience"]!));
    }

    private static (RenderedObject DaemonSet, JsonObject Container) Provider(Render render, string chart)
    {
        var name = chart switch
        {
            "vault-csi-provider" => "csi-vault-csi-provider",
            "csi-secrets-store-provider-azure" => "csi-csi-secrets-store-provider-azure",
            _ => "csi-secrets-store-csi-driver-provider-aws",
        };
        var daemonSet = render.One("DaemonSet", name);
        return (daemonSet, daemonSet["spec.template.spec.containers.0"]!.AsObject());
    }
}
