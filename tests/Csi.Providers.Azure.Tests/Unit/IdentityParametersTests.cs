using Csi.ProviderHost;
using static Csi.Providers.Azure.Tests.Unit.ParameterFixture;

namespace Csi.Providers.Azure.Tests.Unit;

public sealed class IdentityParametersTests
{
    private static Dictionary<string, ServiceAccountToken> Tokens(string audience) =>
        new(StringComparer.Ordinal) { [audience] = new ServiceAccountToken(audience, "jwt-for-" + audience, null) };

    [Fact]
    public void NoMode_WithNodePublishSecret_UsesServicePrincipal()
    {
        Parse(Parameters(), out var credential, secrets: new Dictionary<string, string> { ["ClientID"] = "sp-id", ["ClientSecret"] = "sp-secret" });

        Assert.Equal(AzureIdentityMode.None, credential.Mode);
        Assert.False(credential.UsesWorkloadIdentity);
        Assert.Equal(("sp-id", "sp-secret"), (credential.ServicePrincipalClientId, credential.ServicePrincipalSecret));
        Assert.DoesNotContain("sp-secret", credential.ToString());
    }

    [Fact]
    public void NoMode_WithoutSecret_IsRejected()
    {
        Assert.StartsWith("failed to get credentials, nodePublishSecretRef secret is not set", Error(Parameters(), secrets: []));
    }

    [Theory]
    [InlineData("clientsecret", "could not find clientid in secrets")]
    [InlineData("clientid", "could not find clientsecret in secrets")]
    public void NoMode_WithIncompleteSecret_IsRejected(string present, string message)
    {
        Assert.StartsWith(message, Error(Parameters(), secrets: new Dictionary<string, string> { [present] = "x" }));
    }

    [Fact]
    public void ClientId_WithPodToken_UsesWorkloadIdentity()
    {
        var parameters = Parameters();
        parameters["clientID"] = "wi-client";

        Parse(parameters, out var credential, secrets: [], tokens: Tokens("api://AzureADTokenExchange"));

        Assert.True(credential.UsesWorkloadIdentity);
        Assert.Equal("wi-client", credential.ClientId);
        Assert.Equal("jwt-for-api://AzureADTokenExchange", credential.ServiceAccountToken);
    }

    [Fact]
    public void ClientId_WithoutPodToken_IsRejectedNamingTheAudience()
    {
        var parameters = Parameters();
        parameters["clientID"] = "wi-client";

        Assert.Contains("token for audience api://AzureADTokenExchange not found", Error(parameters, tokens: Tokens("vault")));
    }

    [Fact]
    public void UseVMManagedIdentity_WithUserAssignedId()
    {
        var parameters = Parameters();
        parameters["useVMManagedIdentity"] = "true";
        parameters["userAssignedIdentityID"] = " uami-client ";

        var p = Parse(parameters, out var credential, secrets: []);

        Assert.Equal(AzureIdentityMode.VMManagedIdentity, credential.Mode);
        Assert.Equal("uami-client", credential.UserAssignedIdentityId);
        Assert.Equal("uami-client", p.UserAssignedIdentityId);
    }

    [Fact]
    public void UseVMManagedIdentity_WithoutUserAssignedId_MeansSystemAssigned()
    {
        var parameters = Parameters();
        parameters["useVMManagedIdentity"] = "1";

        Parse(parameters, out var credential, secrets: []);

        Assert.Equal((AzureIdentityMode.VMManagedIdentity, ""), (credential.Mode, credential.UserAssignedIdentityId));
    }

    [Fact]
    public void UsePodIdentity_SelectsPodIdentity()
    {
        var parameters = Parameters();
        parameters["usePodIdentity"] = "True";

        Parse(parameters, out var credential, secrets: []);

        Assert.Equal(AzureIdentityMode.PodIdentity, credential.Mode);
    }

    [Fact]
    public void UseAzureTokenProxy_NeedsClientIdAndBindingToken()
    {
        var parameters = Parameters();
        parameters["useAzureTokenProxy"] = "true";

        Assert.Contains("clientID is required for identity binding", Error(parameters, secrets: []));
        parameters["clientID"] = "ib-client";
        Assert.Contains("token for audience api://AKSIdentityBinding not found", Error(parameters, secrets: [], tokens: Tokens("api://AzureADTokenExchange")));
        Parse(parameters, out var credential, secrets: [], tokens: Tokens("api://AKSIdentityBinding"));
        Assert.Equal(AzureIdentityMode.AzureTokenProxy, credential.Mode);
    }

    [Theory]
    [InlineData("usePodIdentity", "useVMManagedIdentity")]
    [InlineData("usePodIdentity", "useAzureTokenProxy")]
    [InlineData("useVMManagedIdentity", "useAzureTokenProxy")]
    public void TwoModes_AreRejected(string first, string second)
    {
        var parameters = Parameters();
        parameters[first] = "true";
        parameters[second] = "true";

        Assert.StartsWith("only one identity mode can be enabled at a time", Error(parameters));
    }

    [Theory]
    [InlineData("usePodIdentity")]
    [InlineData("useVMManagedIdentity")]
    [InlineData("useAzureTokenProxy")]
    public void ModeFlag_ThatIsNotABool_IsRejectedNamingTheFlag(string flag)
    {
        var parameters = Parameters();
        parameters[flag] = "yes";

        Assert.StartsWith($"{flag}: failed to parse {flag} flag", Error(parameters));
    }

    [Fact]
    public void ModeFlag_False_IsNoMode()
    {
        var parameters = Parameters();
        parameters["useVMManagedIdentity"] = "false";
        parameters["usePodIdentity"] = "F";

        Parse(parameters, out var credential);

        Assert.Equal(AzureIdentityMode.None, credential.Mode);
    }
}
