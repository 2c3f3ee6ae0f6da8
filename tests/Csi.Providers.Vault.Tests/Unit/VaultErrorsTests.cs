using Csi.ProviderHost;

namespace Csi.Providers.Vault.Tests.Unit;

public class VaultErrorsTests
{
    private static readonly VaultMountConfig Config = VaultMountConfig.Parse(
        new Dictionary<string, string> { ["roleName"] = "app", ["vaultAddress"] = "https://vault:8200", ["objects"] = "- {objectName: db, secretPath: secret/data/db, secretKey: password}" },
        new VaultProviderOptions(), VaultEnvironment.Read(_ => null));

    private static readonly PodInfo Pod = new("web-1", "default", "uid", "app");

    private static VaultRequestException Status(int status, params string[] errors) => new(VaultFailure.Status, status, errors, $"HTTP {status}");

    [Theory]
    [InlineData("1 error occurred:\n\t* permission denied\n\n", "permission denied")]
    [InlineData("2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n", "permission denied; invalid token")]
    [InlineData("missing role", "missing role")]
    [InlineData("bad\u0007bell", "bad bell")]
    public void Clean_FoldsVaultErrorText(string message, string expected)
        => Assert.Equal(expected, VaultErrors.Clean(message));

    [Fact]
    public void Clean_RedactsSecrets()
        => Assert.Equal("token <redacted> and <redacted>", VaultErrors.Clean("token hvs.x and eyJ.y", "hvs.x", "eyJ.y", null, ""));

    [Theory]
    [InlineData(403, ProviderErrorKind.PermissionDenied, "PermissionDenied", "couldn't read secret: object \"db\": Vault denied role \"app\" (auth/kubernetes) GET secret/data/db (HTTP 403: permission denied); give a policy of that role the \"read\" capability on secret/data/db")]
    [InlineData(404, ProviderErrorKind.NotFound, "SecretNotFound", "couldn't read secret: object \"db\": nothing at GET secret/data/db (HTTP 404: permission denied); check secretPath")]
    [InlineData(400, ProviderErrorKind.InvalidArgument, "VaultRejectedRequest", "couldn't read secret: object \"db\": Vault rejected GET secret/data/db (HTTP 400: permission denied); check secretPath, method and secretArgs")]
    [InlineData(429, ProviderErrorKind.ResourceExhausted, "VaultRateLimited", "couldn't read secret: object \"db\": Vault at https://vault:8200 (parameter vaultAddress) is rate-limiting requests")]
    [InlineData(503, ProviderErrorKind.Unavailable, "VaultUnavailable", "couldn't read secret: object \"db\": Vault at https://vault:8200 (parameter vaultAddress) answered HTTP 503: permission denied after retries")]
    [InlineData(409, ProviderErrorKind.FailedPrecondition, "VaultRequestFailed", "couldn't read secret: object \"db\": Vault answered GET secret/data/db with HTTP 409")]
    public void Read_MapsStatusToCodeAndFix(int status, ProviderErrorKind code, string errorCode, string message)
    {
        var error = VaultErrors.Read(Status(status, "permission denied"), Config.Objects[0].Request, ["db"], Config);
        Assert.Equal((code, errorCode), (error.Kind, error.ErrorCode));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SharedRequest_NamesEveryObject()
        => Assert.StartsWith("couldn't read secret: objects \"user\", \"pass\":", VaultErrors.Read(Status(404), Config.Objects[0].Request, ["user", "pass"], Config).Message, StringComparison.Ordinal);

    [Fact]
    public void Read_Unreachable_NamesTheAddressAndItsSource()
    {
        var error = VaultErrors.Read(new VaultRequestException(VaultFailure.Connection, 0, [], "Connection refused"), Config.Objects[0].Request, ["db"], Config);
        Assert.Equal((ProviderErrorKind.Unavailable, "VaultUnavailable"), (error.Kind, error.ErrorCode));
        Assert.StartsWith("couldn't read secret: object \"db\": cannot reach Vault at https://vault:8200 (parameter vaultAddress): Connection refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Login_Refused_NamesRoleMountAndServiceAccount()
    {
        var token = new ServiceAccountToken("vault", "eyJ.secret", DateTimeOffset.UnixEpoch.AddYears(100));
        var error = VaultErrors.Login(Status(400, "invalid role name \"app\""), Config, Pod, token, DateTimeOffset.UnixEpoch);

        Assert.Equal((ProviderErrorKind.PermissionDenied, "LoginDenied"), (error.Kind, error.ErrorCode));
        Assert.Equal(
            "failed to login: Vault refused role \"app\" at auth/kubernetes/login (HTTP 400: invalid role name \"app\"); check that roleName names a role on that auth mount (flag -vault-mount), that the role binds service account \"default/app\", and that it accepts audience \"vault\" (parameter audience)",
            error.Message);
    }

    [Fact]
    public void Login_WithAnExpiredToken_SaysSo()
    {
        var token = new ServiceAccountToken("vault", "eyJ.secret", DateTimeOffset.UnixEpoch);
        var error = VaultErrors.Login(Status(403, "permission denied"), Config, Pod, token, DateTimeOffset.UnixEpoch.AddHours(1));
        Assert.Contains("the service-account token for audience \"vault\" expired at 1970-01-01T00:00:00.0000000+00:00", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Login_Unavailable_IsUnavailable()
    {
        var token = new ServiceAccountToken("vault", "eyJ.secret", null);
        var error = VaultErrors.Login(Status(503, "Vault is sealed"), Config, Pod, token, DateTimeOffset.UnixEpoch);
        Assert.Equal(ProviderErrorKind.Unavailable, error.Kind);
        Assert.StartsWith("failed to login at auth/kubernetes/login: Vault at https://vault:8200 (parameter vaultAddress) answered HTTP 503: Vault is sealed after retries", error.Message, StringComparison.Ordinal);
    }
}
