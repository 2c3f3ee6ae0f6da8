using System.Text;
using SecretsStore.Driver.SecretProviderClasses;
using SecretsStore.Driver.SecretSync;

namespace SecretsStore.Driver.Tests.Unit;

public sealed class SyncedSecretBuilderTests
{
    private static readonly Dictionary<string, byte[]> Files = new() { ["db/password"] = Encoding.UTF8.GetBytes("s3cret"), ["user"] = Encoding.UTF8.GetBytes("admin") };

    private static SecretObject Spec(string name = "db", string type = "Opaque", params SecretObjectData[] data)
        => new(name, type, new Dictionary<string, string> { ["app"] = "web" }, new Dictionary<string, string> { ["note"] = "x" }, data.Length == 0 ? [new("db/password", "pass"), new("user", "user")] : data);

    private static DesiredSecret Build(SecretObject spec) => SyncedSecretBuilder.Build(spec, "apps/spc", p => Files.GetValueOrDefault(p), () => "mounted: db, user");

    [Fact]
    public void Build_AddsTheManagedLabel_AndMapsEachKeyToItsFile()
    {
        var secret = Build(Spec());

        Assert.Equal(("db", "Opaque"), (secret.Name, secret.Type));
        Assert.Equal("true", secret.Labels["secrets-store.csi.k8s.io/managed"]);
        Assert.Equal("web", secret.Labels["app"]);
        Assert.Equal("x", secret.Annotations["note"]);
        Assert.Equal("s3cret", Encoding.UTF8.GetString(secret.Data["pass"]));
        Assert.Equal("admin", Encoding.UTF8.GetString(secret.Data["user"]));
    }

    [Fact]
    public void Build_WithAnObjectNameNotMounted_NamesItAndWhatIsMounted()
    {
        var error = Assert.Throws<SecretSyncException>(() => Build(Spec(data: new SecretObjectData("passwd", "pass"))));

        Assert.Equal("Secret db: objectName \"passwd\" is not among the files mounted from SecretProviderClass apps/spc (mounted: db, user); set objectName to the name of a mounted file (the object's alias if it has one)", error.Message);
    }

    [Theory]
    [InlineData("../etc/shadow")]
    [InlineData("/etc/shadow")]
    [InlineData("..data/x")]
    public void Build_WithAnObjectNameOutsideTheVolume_IsRefused(string objectName)
        => Assert.Contains("is not a relative path inside the volume", Assert.Throws<SecretSyncException>(() => Build(Spec(data: new SecretObjectData(objectName, "k")))).Message, StringComparison.Ordinal);

    [Fact]
    public void Build_WithoutType_SaysToSetIt()
        => Assert.Contains("set type", Assert.Throws<SecretSyncException>(() => Build(Spec(type: ""))).Message, StringComparison.Ordinal);

    [Fact]
    public void Build_WithoutSecretName_SaysToSetIt()
        => Assert.Contains("has no secretName", Assert.Throws<SecretSyncException>(() => Build(Spec(name: ""))).Message, StringComparison.Ordinal);

    [Fact]
    public void Fingerprint_ChangesWithContent_AndOnlyThen()
    {
        var first = Build(Spec()).Fingerprint();

        Assert.Equal(first, Build(Spec()).Fingerprint());
        Files["user"] = Encoding.UTF8.GetBytes("root");
        try
        {
            Assert.NotEqual(first, Build(Spec()).Fingerprint());
        }
        finally
        {
            Files["user"] = Encoding.UTF8.GetBytes("admin");
        }
    }
}
