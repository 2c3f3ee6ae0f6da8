using Csi.Sandboxes.Vault;
using Grpc.Core;
using static Csi.Providers.Vault.Tests.Functional.VaultProviderHarness;

namespace Csi.Providers.Vault.Tests.Functional;

/// <summary>Mounts that fail: each returns the status that fits and a message that says what to fix, with no token or secret.</summary>
public sealed class ErrorTests : IAsyncLifetime
{
    private const string DbObject = "- {objectName: db-password, secretPath: secret/data/app/db, secretKey: password}";

    private VaultProviderHarness _h = null!;

    public async Task InitializeAsync() => _h = await StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<RpcException> Fails(Dictionary<string, string> parameters, StatusCode code, string errorCode)
    {
        var error = await _h.MountFailsAsync(_h.Request(parameters));
        Assert.Equal(code, error.StatusCode);
        Assert.StartsWith(errorCode + ": ", error.Status.Detail, StringComparison.Ordinal);
        _h.AssertNoSecretsIn(error.Status.Detail);
        return error;
    }

    [Fact]
    public async Task WrongRole_IsPermissionDenied_NamingTheRoleAndMount()
    {
        var error = await Fails(Parameters(DbObject, ("roleName", "no-such-role")), StatusCode.PermissionDenied, "LoginDenied");
        Assert.Contains("failed to login: Vault refused role \"no-such-role\" at auth/kubernetes/login (HTTP 400: invalid role name \"no-such-role\")", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceAccountNotBoundToTheRole_IsPermissionDenied_NamingIt()
    {
        var jwt = _h.MintJwt(serviceAccount: "intruder");
        var error = await _h.MountFailsAsync(_h.Request(Parameters(DbObject), jwt));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("(HTTP 403: service account name not authorized)", error.Status.Detail, StringComparison.Ordinal);
        _h.AssertNoSecretsIn(error.Status.Detail);
    }

    [Fact]
    public async Task ExpiredServiceAccountToken_IsPermissionDenied_SayingItExpired()
    {
        var issued = DateTimeOffset.UtcNow.AddHours(-2);
        var jwt = _h.MintJwt(issuedAt: issued, lifetime: TimeSpan.FromHours(1));
        var error = await _h.MountFailsAsync(_h.Request(Parameters(DbObject), jwt, expires: issued.AddHours(1)));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("token is expired", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("the service-account token for audience \"vault\" expired at", error.Status.Detail, StringComparison.Ordinal);
        _h.AssertNoSecretsIn(error.Status.Detail);
    }

    [Fact]
    public async Task MissingServiceAccountToken_IsFailedPrecondition_NamingTheAudience()
    {
        var error = await _h.MountFailsAsync(_h.Request(Parameters(DbObject), withTokens: false));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("no service-account token for audience \"vault\"", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingKey_IsNotFound_NamingTheKeyButNoValue()
    {
        var error = await Fails(Parameters("- {objectName: db-password, secretPath: secret/data/app/db, secretKey: pasword}"), StatusCode.NotFound, "SecretKeyNotFound");
        Assert.Contains("{key \"pasword\" does not exist at the secret path}", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingPath_IsNotFound_NamingThePath()
    {
        var error = await Fails(Parameters("- {objectName: a, secretPath: secret/data/app/nothing, secretKey: k}"), StatusCode.NotFound, "SecretNotFound");
        Assert.Contains("couldn't read secret: object \"a\": nothing at GET secret/data/app/nothing (HTTP 404)", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KvV2PathWithoutDataSegment_IsNotFound_WithTheHint()
    {
        _h.Vault.WritePolicy("app", [new VaultPolicyRule("secret/*", "read")]);
        var error = await Fails(Parameters("- {objectName: a, secretPath: secret/app/db, secretKey: password}"), StatusCode.NotFound, "SecretNotFound");
        Assert.Contains("nothing at GET secret/app/db (HTTP 404); check secretPath: KV v2 reads include data/ (secret/data/app)", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PathOutsideThePolicy_IsPermissionDenied_NamingRoleAndPath()
    {
        _h.Vault.WriteSecret("secret", "other/db", new Dictionary<string, string> { ["password"] = "x" });
        var error = await Fails(Parameters("- {objectName: a, secretPath: secret/data/other/db, secretKey: password}"), StatusCode.PermissionDenied, "PermissionDenied");
        Assert.Contains("Vault denied role \"app\" (auth/kubernetes) GET secret/data/other/db (HTTP 403: permission denied); give a policy of that role the \"read\" capability", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1, _h.Vault.CountRequests("POST", "auth/kubernetes/login"));
    }

    [Fact]
    public async Task PathOutsideThePolicy_WithACachedToken_ReloginsOnceThenDenies()
    {
        await _h.MountAsync(Parameters(DbObject));
        await Fails(Parameters("- {objectName: a, secretPath: secret/data/other/db, secretKey: password}"), StatusCode.PermissionDenied, "PermissionDenied");
        Assert.Equal(2, _h.Vault.CountRequests("POST", "auth/kubernetes/login"));
    }

    [Fact]
    public async Task UnreachableVault_IsUnavailable_NamingTheAddress()
    {
        await _h.Vault.StopAcceptingConnectionsAsync();

        var error = await Fails(Parameters(DbObject), StatusCode.Unavailable, "VaultUnavailable");

        Assert.Contains($"cannot reach Vault at {_h.VaultAddress} (flag -vault-addr)", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SealedVault_IsUnavailable_AfterBoundedRetries()
    {
        _h.Vault.Seal();

        var error = await Fails(Parameters(DbObject), StatusCode.Unavailable, "VaultUnavailable");

        Assert.Contains("HTTP 503: Vault is sealed", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(3, _h.Vault.CountRequests("POST", "auth/kubernetes/login"));
    }

    [Fact]
    public async Task TransientServerErrors_AreRetried()
    {
        _h.Vault.FailNextRequests("secret/data/app/", 2, 500);
        var response = await _h.MountAsync(Parameters(DbObject));
        Assert.Equal(DbPassword, response.Files[0].Contents.ToStringUtf8());
        Assert.Equal(3, _h.Vault.CountRequests("GET", "secret/data/app/db"));
    }

    [Fact]
    public async Task RateLimited_IsResourceExhausted()
    {
        _h.Vault.FailNextRequests("secret/data/app/", 3, 429);
        await Fails(Parameters(DbObject), StatusCode.ResourceExhausted, "VaultRateLimited");
    }

    [Fact]
    public async Task BadDynamicRequest_IsInvalidArgument_WithVaultsReason()
    {
        var error = await Fails(Parameters("- {objectName: c, secretPath: pki/issue/web, method: PUT, secretKey: certificate, secretArgs: {common_name: evil.org}}"), StatusCode.InvalidArgument, "VaultRejectedRequest");
        Assert.Contains("Vault rejected PUT pki/issue/web (HTTP 400:", error.Status.Detail, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadParameters => new()
    {
        { "roleName", "", "roleName: missing 'roleName' in SecretProviderClass definition" },
        { "objects", "", "objects: no secrets configured" },
        { "vaultSkipTLSVerify", "maybe", "vaultSkipTLSVerify: strconv.ParseBool: parsing \"maybe\": invalid syntax" },
        { "vaultAddress", "vault:8200", "parameter vaultAddress: \"vault:8200\" is not a Vault address" },
        { "vaultCACertPath", "/no/such/ca.pem", "vaultCACertPath: cannot read CA certificates from /no/such/ca.pem" },
        { "vaultTLSClientCertPath", "/tls.crt", "parameter vaultTLSClientCertPath: both client cert and client key must be provided" },
        { "objects", "- {objectName: a, secretPath: p}\n- {objectName: a, secretPath: q}", "each `objectName` within a SecretProviderClass must be unique, but the following keys were duplicated: a" },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public async Task BadParameter_IsInvalidArgument_NamingIt(string key, string value, string message)
    {
        var parameters = Parameters(DbObject, (key, value));
        if (key == "vaultCACertPath")
        {
            parameters["vaultAddress"] = "https://127.0.0.1:1";
        }
        var error = await Fails(parameters, StatusCode.InvalidArgument, "InvalidParameter");
        Assert.StartsWith("InvalidParameter: " + message, error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _h.Vault.CountRequests());
    }

    [Fact]
    public async Task BothMountPaths_IsUpstreamsError()
    {
        var error = await Fails(Parameters(DbObject, ("vaultKubernetesMountPath", "kubernetes"), ("vaultAuthMountPath", "jwt")), StatusCode.InvalidArgument, "InvalidParameter");
        Assert.Contains("cannot set both vaultKubernetesMountPath and vaultAuthMountPath", error.Status.Detail, StringComparison.Ordinal);
    }
}
