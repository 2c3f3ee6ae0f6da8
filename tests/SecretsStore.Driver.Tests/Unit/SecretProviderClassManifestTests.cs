using SecretsStore.Driver.SecretProviderClasses;

namespace SecretsStore.Driver.Tests.Unit;

public class SecretProviderClassManifestTests
{
    private const string Valid = """
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata:
          name: vault-db
          namespace: apps
        spec:
          provider: vault
          parameters:
            roleName: "db"
            vaultAddress: "https://vault:8200"
            objects: |
              - objectName: "password"
                secretPath: "secret/data/db"
                secretKey: "password"
          secretObjects:
          - secretName: db-creds
            type: Opaque
            labels: {app: db}
            data:
            - objectName: password
              key: pw
        """;

    [Fact]
    public void Parse_V1_ReadsEveryField()
    {
        var spc = Assert.Single(SecretProviderClassManifest.Parse(Valid));
        Assert.Equal("apps", spc.Namespace);
        Assert.Equal("vault-db", spc.Name);
        Assert.Equal("vault", spc.Provider);
        Assert.Equal("db", spc.Parameters["roleName"]);
        Assert.StartsWith("- objectName: \"password\"", spc.Parameters["objects"], StringComparison.Ordinal);
        var secret = Assert.Single(spc.SecretObjects);
        Assert.Equal("db-creds", secret.SecretName);
        Assert.Equal("Opaque", secret.Type);
        Assert.Equal("db", secret.Labels["app"]);
        Assert.Equal(new SecretObjectData("password", "pw"), Assert.Single(secret.Data));
    }

    [Fact]
    public void Parse_V1alpha1_AndSeveralDocuments_AndDefaultNamespace()
    {
        var text = """
            apiVersion: secrets-store.csi.x-k8s.io/v1alpha1
            kind: SecretProviderClass
            metadata: {name: one}
            spec: {provider: test, parameters: {objects: "- objectName: a"}}
            ---
            {"apiVersion": "secrets-store.csi.x-k8s.io/v1", "kind": "SecretProviderClass", "metadata": {"name": "two"}, "spec": {"provider": "test", "parameters": {"a": "b"}}}
            ---
            """;
        var classes = SecretProviderClassManifest.Parse(text);
        Assert.Equal(["one", "two"], classes.Select(c => c.Name));
        Assert.All(classes, c => Assert.Equal("default", c.Namespace));
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: SecretProviderClass\nmetadata: {name: a}\nspec: {provider: p}", "apiVersion: \"v1\" is not served")]
    [InlineData("apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: Secret\nmetadata: {name: a}\nspec: {}", "kind: \"Secret\" is not SecretProviderClass")]
    [InlineData("apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nspec: {}", "metadata: missing")]
    [InlineData("apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata: {namespace: x}\nspec: {}", "metadata.name: missing")]
    [InlineData("apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata: {name: Bad_Name}\nspec: {}", "metadata.name: \"Bad_Name\" is not a valid name")]
    [InlineData("apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata: {name: a}", "spec: missing")]
    [InlineData("apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata: {name: a}\nspec: {provider: p, parameters: {port: 8200}}", "spec.parameters.port: 8200 is not a string; quote it")]
    [InlineData("apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata: {name: a}\nspec: {provider: p, parameters: {objects: [a, b]}}", "spec.parameters.objects: must be a string; for structured content (such as objects) use a block string: \"objects: |\"")]
    [InlineData("apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata: {name: a}\nspec: {provider: p, secretObjects: {a: b}}", "spec.secretObjects: must be a list")]
    [InlineData("key: [unclosed", "not valid YAML at line")]
    public void Parse_Invalid_NamesTheField(string text, string expected)
    {
        var error = Assert.Throws<ManifestException>(() => SecretProviderClassManifest.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidSecondDocument_SaysWhichDocument()
    {
        var text = Valid + "\n---\napiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata: {}\nspec: {}\n";
        var error = Assert.Throws<ManifestException>(() => SecretProviderClassManifest.Parse(text));
        Assert.StartsWith("document 2: metadata.name: missing", error.Message, StringComparison.Ordinal);
    }
}
