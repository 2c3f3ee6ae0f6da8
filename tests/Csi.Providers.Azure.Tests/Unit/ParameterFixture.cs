using Csi.ProviderHost;

namespace Csi.Providers.Azure.Tests.Unit;

/// <summary>Builds parameter maps the driver would send, with one secret object unless told otherwise.</summary>
internal static class ParameterFixture
{
    public const string OneSecret = "array:\n  - |\n    objectName: db-password\n    objectType: secret\n";

    public static Dictionary<string, string> Parameters(string? objects = OneSecret) => new(StringComparer.Ordinal)
    {
        ["keyvaultName"] = "kv1",
        ["tenantID"] = "tenant-1",
        ["objects"] = objects ?? string.Empty,
        ["csi.storage.k8s.io/pod.name"] = "app-0",
        ["csi.storage.k8s.io/pod.namespace"] = "default",
    };

    public static Dictionary<string, string> SpSecrets() => new(StringComparer.Ordinal) { ["clientid"] = "sp-id", ["clientsecret"] = "sp-secret" };

    public static AzureMountParameters Parse(
        Dictionary<string, string> parameters,
        Dictionary<string, string>? secrets = null,
        Dictionary<string, ServiceAccountToken>? tokens = null) =>
        Parse(parameters, out _, secrets, tokens);

    public static AzureMountParameters Parse(
        Dictionary<string, string> parameters,
        out AzureCredentialSettings credential,
        Dictionary<string, string>? secrets = null,
        Dictionary<string, ServiceAccountToken>? tokens = null) =>
        AzureParametersParser.Parse(parameters, secrets ?? SpSecrets(), tokens ?? [], AzureCloud.Public, out credential);

    public static string Error(Dictionary<string, string> parameters, Dictionary<string, string>? secrets = null, Dictionary<string, ServiceAccountToken>? tokens = null)
    {
        var e = Assert.Throws<ProviderException>(() => Parse(parameters, secrets, tokens));
        Assert.Equal(ProviderErrorKind.InvalidArgument, e.Kind);
        return e.Message;
    }

    /// <summary>An objects parameter with one object whose fields are the given YAML lines.</summary>
    public static string Objects(params string[] objectLines) =>
        "array:\n  - |\n" + string.Concat(objectLines.Select(l => "    " + l + "\n"));
}
