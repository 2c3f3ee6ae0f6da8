using Csi.Common.Flags;
using Csi.ProviderHost;
using Csi.ProviderHost.Credentials;

namespace Csi.Providers.Vault;

/// <summary>
/// One Mount's configuration: the SecretProviderClass parameters laid over the flags and the VAULT_* variables,
/// with upstream's defaults and errors. Every error names the parameter (or flag) and the fix.
/// </summary>
internal sealed record VaultMountConfig(
    string RoleName,
    VaultSetting AuthMount,
    string Audience,
    VaultConnection Connection,
    IReadOnlyList<VaultObject> Objects)
{
    /// <summary>The token audience upstream looks up when the class names none.</summary>
    public const string DefaultAudience = "vault";

    /// <summary>Parameters upstream still accepts and ignores.</summary>
    public static readonly IReadOnlyList<string> IgnoredParameters = ["kubernetesServiceAccountPath", "vaultCAPem"];

    public static VaultMountConfig Parse(
        IReadOnlyDictionary<string, string> parameters,
        VaultProviderOptions flags,
        VaultEnvironment environment,
        Action<string, string>? ignoredKey = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(environment);
        string? Get(string name) => parameters.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

        foreach (var name in IgnoredParameters.Where(n => Get(n) is not null))
        {
            ignoredKey?.Invoke("parameters", name);
        }

        var role = Get("roleName")
            ?? throw ProviderException.InvalidParameter("roleName: missing 'roleName' in SecretProviderClass definition; set parameters.roleName to the Vault auth role bound to the pod's service account");

        var kubernetesMount = Get("vaultKubernetesMountPath");
        var authMount = Get("vaultAuthMountPath");
        if (kubernetesMount is not null && authMount is not null)
        {
            throw ProviderException.InvalidParameter("vaultKubernetesMountPath, vaultAuthMountPath: cannot set both vaultKubernetesMountPath and vaultAuthMountPath; keep vaultAuthMountPath (it may name a kubernetes or a jwt auth mount)");
        }
        var mount = VaultSetting.First(
            (kubernetesMount, "parameter vaultKubernetesMountPath"),
            (authMount, "parameter vaultAuthMountPath"),
            (flags.VaultMount, "flag -vault-mount"),
            (VaultProviderOptions.DefaultAuthMount, "default"))!;
        mount = mount with { Value = mount.Value.Trim('/') };
        if (mount.Value.Length == 0 || mount.Value.Split('/').Any(s => s.Length == 0 || s is "." or ".."))
        {
            throw ProviderException.InvalidParameter($"{mount.Source}: \"{mount.Value}\" is not an auth mount path; give the path the auth method is enabled at, e.g. kubernetes or jwt");
        }

        var audience = Get("audience") ?? DefaultAudience;
        var connection = ParseConnection(Get, flags, environment);
        var objects = VaultObjectsParser.Parse(Get(VaultObjectsParser.Parameter), ignoredKey);
        return new VaultMountConfig(role, mount, audience, connection, objects);
    }

    /// <summary>
    /// What makes two mounts share a Vault token: everything but the objects and the service-account token, as
    /// upstream's client cache key; the pod's UID makes it one token per pod.
    /// </summary>
    public CredentialKey TokenCacheKey(PodInfo pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var tls = Connection.Tls;
        return CredentialKey.For(null,
            Connection.Display, Connection.Namespace, AuthMount.Value, RoleName, Audience,
            tls.CaCert?.Value, tls.CaDirectory?.Value, tls.ServerName?.Value, tls.ClientCert?.Value, tls.ClientKey?.Value, tls.SkipVerify ? "1" : "0",
            pod.Namespace, pod.Name, pod.Uid, pod.ServiceAccountName);
    }

    private static VaultConnection ParseConnection(Func<string, string?> get, VaultProviderOptions flags, VaultEnvironment environment)
    {
        var address = VaultSetting.First(
            (get("vaultAddress"), "parameter vaultAddress"),
            (flags.VaultAddr, "flag -vault-addr"),
            (environment.Address, environment.AddressSource),
            (VaultConnection.DefaultAddress, "default"))!;
        if (!VaultConnection.TryParseAddress(address.Value, out var uri, out var socket))
        {
            throw ProviderException.InvalidParameter($"{address.Source}: \"{address.Value}\" is not a Vault address; use https://host:8200 (http:// without TLS, unix:///path for a Vault Agent socket)");
        }

        var vaultNamespace = VaultSetting.First(
            (get("vaultNamespace"), "parameter vaultNamespace"),
            (flags.VaultNamespace, "flag -vault-namespace"),
            (environment.Namespace, "VAULT_NAMESPACE"));

        // The Go client overlays TLS per layer: a layer that sets a CA replaces the CA; a layer that sets a client
        // certificate must set the key too.
        var (caCert, caDirectory, _, _) = FirstPair(
            (get("vaultCACertPath"), get("vaultCADirectory"), "parameter vaultCACertPath", "parameter vaultCADirectory"),
            (flags.TlsCaCert, flags.TlsCaDirectory, "flag -vault-tls-ca-cert", "flag -vault-tls-ca-directory"),
            (environment.CaCert, environment.CaPath, "VAULT_CACERT", "VAULT_CAPATH"));
        var (clientCert, clientKey, certSource, keySource) = FirstPair(
            (get("vaultTLSClientCertPath"), get("vaultTLSClientKeyPath"), "parameter vaultTLSClientCertPath", "parameter vaultTLSClientKeyPath"),
            (flags.TlsClientCert, flags.TlsClientKey, "flag -vault-tls-client-cert", "flag -vault-tls-client-key"),
            (environment.ClientCert, environment.ClientKey, "VAULT_CLIENT_CERT", "VAULT_CLIENT_KEY"));
        if ((clientCert is null) != (clientKey is null))
        {
            var (set, missing) = clientCert is null ? (keySource, certSource) : (certSource, keySource);
            throw ProviderException.InvalidParameter($"{set}: both client cert and client key must be provided; set {missing} as well, or neither");
        }

        var serverName = VaultSetting.First(
            (get("vaultTLSServerName"), "parameter vaultTLSServerName"),
            (flags.TlsServerName, "flag -vault-tls-server-name"),
            (environment.TlsServerName, "VAULT_TLS_SERVER_NAME"));

        bool skipVerify;
        var skip = get("vaultSkipTLSVerify");
        if (skip is not null)
        {
            if (!GoBool.TryParse(skip, out skipVerify))
            {
                throw ProviderException.InvalidParameter($"vaultSkipTLSVerify: strconv.ParseBool: parsing \"{skip}\": invalid syntax; use \"true\" or \"false\"");
            }
        }
        else
        {
            skipVerify = flags.TlsSkipVerify || environment.SkipVerify;
        }

        var tls = new VaultTlsSettings(caCert, caDirectory, serverName, clientCert, clientKey, skipVerify);
        return new VaultConnection(uri, socket, address.Source, vaultNamespace?.Value ?? string.Empty, tls);
    }

    private static (VaultSetting? First, VaultSetting? Second, string FirstSource, string SecondSource) FirstPair(
        params (string? First, string? Second, string FirstSource, string SecondSource)[] layers)
    {
        foreach (var (first, second, firstSource, secondSource) in layers)
        {
            if (!string.IsNullOrEmpty(first) || !string.IsNullOrEmpty(second))
            {
                return (
                    string.IsNullOrEmpty(first) ? null : new VaultSetting(first, firstSource),
                    string.IsNullOrEmpty(second) ? null : new VaultSetting(second, secondSource),
                    firstSource,
                    secondSource);
            }
        }
        return (null, null, string.Empty, string.Empty);
    }
}
