using System.Text.Json.Nodes;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Vault;

/// <summary>
/// A role on a kubernetes or jwt auth mount. Field names follow the Vault role API
/// (<c>bound_service_account_names</c>, <c>audience</c>, <c>token_ttl</c>, <c>token_policies</c>, ...).
/// </summary>
public sealed record VaultAuthRole
{
    /// <summary>Role name; Vault stores role names lower-cased.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Kubernetes: <c>bound_service_account_names</c> (required; <c>*</c> and globs allowed).
    /// Jwt: becomes a glob bound claim on <c>/kubernetes.io/serviceaccount/name</c>.
    /// </summary>
    public IReadOnlyList<string> BoundServiceAccountNames { get; init; } = [];

    /// <summary>
    /// Kubernetes: <c>bound_service_account_namespaces</c> (required; <c>*</c> and globs allowed).
    /// Jwt: becomes a glob bound claim on <c>/kubernetes.io/namespace</c>.
    /// </summary>
    public IReadOnlyList<string> BoundServiceAccountNamespaces { get; init; } = [];

    /// <summary>Kubernetes: <c>audience</c>. Jwt: added to <see cref="BoundAudiences"/>.</summary>
    public string? Audience { get; init; }

    /// <summary>Jwt: <c>bound_audiences</c>.</summary>
    public IReadOnlyList<string> BoundAudiences { get; init; } = [];

    /// <summary>Jwt: <c>bound_subject</c>.</summary>
    public string? BoundSubject { get; init; }

    /// <summary>Jwt: <c>bound_claims</c>; keys may be JSON pointers (<c>/kubernetes.io/namespace</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? BoundClaims { get; init; }

    /// <summary>Jwt: <c>bound_claims_type</c>, <c>string</c> or <c>glob</c>.</summary>
    public string BoundClaimsType { get; init; } = "string";

    /// <summary>Jwt: <c>user_claim</c>, the claim naming the entity alias.</summary>
    public string UserClaim { get; init; } = "sub";

    /// <summary>Jwt: <c>claim_mappings</c> (claim or JSON pointer to metadata key).</summary>
    public IReadOnlyDictionary<string, string>? ClaimMappings { get; init; }

    /// <summary>Jwt: <c>clock_skew_leeway</c>.</summary>
    public TimeSpan ClockSkewLeeway { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>token_ttl</c>; zero means the mount default (768h).</summary>
    public TimeSpan TokenTtl { get; init; }

    /// <summary><c>token_max_ttl</c>; zero means the mount maximum (768h).</summary>
    public TimeSpan TokenMaxTtl { get; init; }

    /// <summary><c>token_policies</c>; <c>default</c> is added unless <see cref="TokenNoDefaultPolicy"/>.</summary>
    public IReadOnlyList<string> TokenPolicies { get; init; } = [];

    /// <summary><c>token_no_default_policy</c>.</summary>
    public bool TokenNoDefaultPolicy { get; init; }

    /// <summary>Kubernetes: <c>alias_name_source</c>, <c>serviceaccount_uid</c> or <c>serviceaccount_name</c>.</summary>
    public string AliasNameSource { get; init; } = "serviceaccount_uid";
}

/// <summary>Configuration of a kubernetes auth mount (<c>auth/&lt;mount&gt;/config</c>).</summary>
public sealed class KubernetesAuthSettings
{
    /// <summary><c>issuer</c>: when set, the JWT's iss must equal it.</summary>
    public string? Issuer { get; set; }

    /// <summary>
    /// Issuers whose keys verify tokens (Vault's <c>pem_keys</c>). Empty means the sandbox's own issuer.
    /// </summary>
    public IList<ServiceAccountTokenIssuer> TrustedIssuers { get; } = new List<ServiceAccountTokenIssuer>();

    /// <summary>
    /// Stands in for the TokenReview call Vault makes to the API server after local checks; return false to
    /// reject (for example, the pod was deleted). Null accepts every token.
    /// </summary>
    public Func<ServiceAccountTokenClaims, bool>? TokenReview { get; set; }
}

/// <summary>Configuration of a jwt auth mount (<c>auth/&lt;mount&gt;/config</c>).</summary>
public sealed class JwtAuthSettings
{
    /// <summary><c>bound_issuer</c>.</summary>
    public string? BoundIssuer { get; set; }

    /// <summary><c>default_role</c>, used when a login names none.</summary>
    public string? DefaultRole { get; set; }

    /// <summary>Issuers whose keys verify tokens (Vault's <c>jwt_validation_pubkeys</c>). Empty means the sandbox's own issuer.</summary>
    public IList<ServiceAccountTokenIssuer> TrustedIssuers { get; } = new List<ServiceAccountTokenIssuer>();
}

/// <summary>One path rule of a policy, like an HCL <c>path "secret/data/app/*" { capabilities = ["read"] }</c> block.</summary>
/// <param name="Path">An exact path, a prefix ending in <c>*</c>, and/or <c>+</c> segment wildcards.</param>
/// <param name="Capabilities">Any of create, read, update, patch, delete, list, sudo, deny.</param>
public sealed record VaultPolicyRule(string Path, IReadOnlyList<string> Capabilities)
{
    /// <summary>Convenience: <c>new VaultPolicyRule("secret/data/*", "read", "list")</c>.</summary>
    public VaultPolicyRule(string path, params string[] capabilities)
        : this(path, (IReadOnlyList<string>)capabilities)
    {
    }
}

/// <summary>A role of a database secrets engine: every read of <c>&lt;mount&gt;/creds/&lt;role&gt;</c> mints new credentials.</summary>
public sealed record VaultDatabaseRole
{
    public required string Name { get; init; }

    /// <summary><c>default_ttl</c>: the lease_duration of issued credentials.</summary>
    public TimeSpan DefaultTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary><c>max_ttl</c>.</summary>
    public TimeSpan MaxTtl { get; init; } = TimeSpan.FromHours(24);
}

/// <summary>A role of a PKI secrets engine (<c>&lt;mount&gt;/issue/&lt;role&gt;</c>).</summary>
public sealed record VaultPkiRole
{
    public required string Name { get; init; }

    /// <summary><c>allowed_domains</c>.</summary>
    public IReadOnlyList<string> AllowedDomains { get; init; } = [];

    /// <summary><c>allow_subdomains</c>.</summary>
    public bool AllowSubdomains { get; init; }

    /// <summary><c>allow_bare_domains</c>.</summary>
    public bool AllowBareDomains { get; init; }

    /// <summary><c>allow_any_name</c>.</summary>
    public bool AllowAnyName { get; init; }

    /// <summary><c>allow_localhost</c>.</summary>
    public bool AllowLocalhost { get; init; } = true;

    /// <summary><c>ttl</c>: certificate lifetime when the request gives none.</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromHours(72);

    /// <summary><c>max_ttl</c>.</summary>
    public TimeSpan MaxTtl { get; init; } = TimeSpan.FromDays(30);
}

/// <summary>What a generic (plugin-like) path returns: Vault's data plus lease fields.</summary>
public sealed record VaultGenericSecret
{
    /// <summary>The <c>data</c> object of the response (deep-copied per request).</summary>
    public JsonObject Data { get; init; } = [];

    /// <summary>Non-zero gives the response a fresh <c>lease_id</c> on every call.</summary>
    public TimeSpan LeaseDuration { get; init; }

    /// <summary>The <c>renewable</c> flag.</summary>
    public bool Renewable { get; init; }
}

/// <summary>A request to a generic path, handed to a factory.</summary>
/// <param name="Method">HTTP method (GET, POST, PUT, DELETE, LIST).</param>
/// <param name="Path">Path below the mount, e.g. <c>issue/web</c>.</param>
/// <param name="Body">The JSON body, when there was one.</param>
/// <param name="Query">Query parameters.</param>
public sealed record VaultGenericRequest(string Method, string Path, JsonObject? Body, IReadOnlyDictionary<string, string> Query);

/// <summary>One request the sandbox answered. Never holds tokens or bodies.</summary>
/// <param name="Timestamp">When it arrived (wall clock).</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">URL path as sent, e.g. <c>/v1/secret/data/app</c> (no query).</param>
/// <param name="NamespaceHeader">The <c>X-Vault-Namespace</c> header, if any.</param>
/// <param name="Namespace">The resolved namespace path (<c>""</c> for root, <c>ns1/</c>), combining header and path prefix.</param>
/// <param name="StatusCode">The status sent.</param>
/// <param name="HadToken">Whether an <c>X-Vault-Token</c> (or bearer token) was sent.</param>
/// <param name="Injected">Whether the status came from fault injection.</param>
public sealed record VaultRequestLogEntry(
    DateTimeOffset Timestamp,
    string Method,
    string Path,
    string? NamespaceHeader,
    string Namespace,
    int StatusCode,
    bool HadToken,
    bool Injected);
