using Microsoft.Extensions.Time.Testing;

namespace Csi.Sandboxes.Vault.Tests;

/// <summary>
/// One sandbox per test, on a manual clock, with the usual setup: KV v2 at <c>secret/</c>, kubernetes auth at
/// <c>kubernetes/</c> with role <c>app</c> (service account default/app, audience <c>vault</c>, 1h tokens,
/// policy <c>app-read</c> reading <c>secret/data/app/*</c>).
/// </summary>
public abstract class SandboxTestBase : IAsyncLifetime
{
    private VaultSandbox? _sandbox;
    private VaultHttp? _http;

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    protected VaultSandbox Sandbox => _sandbox ?? throw new InvalidOperationException("not started");

    protected VaultHttp Http => _http ?? throw new InvalidOperationException("not started");

    protected virtual VaultSandboxOptions CreateOptions() => new() { TimeProvider = Clock };

    public virtual async Task InitializeAsync()
    {
        _sandbox = await VaultSandbox.StartAsync(CreateOptions());
        _sandbox.WritePolicy("app-read", [new VaultPolicyRule("secret/data/app/*", "read")]);
        _sandbox.EnableKubernetesAuth();
        _sandbox.WriteAuthRole("kubernetes", new VaultAuthRole
        {
            Name = "app",
            BoundServiceAccountNames = ["app"],
            BoundServiceAccountNamespaces = ["default"],
            Audience = "vault",
            TokenTtl = TimeSpan.FromHours(1),
            TokenPolicies = ["app-read"],
        });
        _http = CreateHttp(_sandbox);
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }
    }

    protected virtual VaultHttp CreateHttp(VaultSandbox sandbox) => new(sandbox.Address);

    /// <summary>A JWT for default/app with audience vault, minted now.</summary>
    protected string AppJwt(string ns = "default", string sa = "app", string audience = "vault") =>
        Sandbox.TokenIssuer.Mint(ns, sa, audience);

    protected Task<string> LoginAppAsync() => Http.LoginTokenAsync("app", AppJwt());
}
