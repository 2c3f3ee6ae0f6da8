using System.Text;
using System.Text.RegularExpressions;
using Csi.ProviderHost;

namespace Csi.Providers.Vault;

/// <summary>
/// Failed Vault calls as <see cref="ProviderException"/>s whose message says what failed (role, mount, path,
/// address) and what to change. Texts keep upstream's phrases ("failed to login", "couldn't read secret") so
/// searches for upstream's errors still land; they never carry a token or a secret value.
/// </summary>
internal static partial class VaultErrors
{
    /// <summary>One line of Vault's error text: go-multierror framing removed, whitespace folded, tokens redacted.</summary>
    public static string Clean(string message, params string?[] redact)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = message;
        foreach (var secret in redact)
        {
            if (!string.IsNullOrEmpty(secret))
            {
                text = text.Replace(secret, "<redacted>", StringComparison.Ordinal);
            }
        }
        // "2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n" -> "permission denied; invalid token"
        text = MultiErrorHeader().Replace(text, string.Empty);
        var parts = text.Split('\n').Select(p => p.Trim().TrimStart('*').Trim()).Where(p => p.Length > 0);
        text = string.Join("; ", parts);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }
        return builder.ToString().Trim();
    }

    /// <summary>object "a" or objects "a", "b".</summary>
    public static string Objects(IEnumerable<string> names)
    {
        var list = names.ToList();
        return (list.Count == 1 ? "object " : "objects ") + string.Join(", ", list.Select(n => $"\"{n}\""));
    }

    public static ProviderException Login(VaultRequestException e, VaultMountConfig config, PodInfo pod, ServiceAccountToken token, DateTimeOffset now)
    {
        var where = $"auth/{config.AuthMount.Value}/login";
        if (e.Failure != VaultFailure.Status || e.StatusCode >= 500 || e.StatusCode is 412 or 429)
        {
            return Unreachable(e, config.Connection, $"failed to login at {where}");
        }
        var expired = token.ExpiresAt is { } expiry && expiry <= now
            ? $"; the service-account token for audience \"{config.Audience}\" expired at {expiry:O}: kubelet must send a fresh one (check the CSIDriver's tokenRequests and requiresRepublish)"
            : string.Empty;
        var serviceAccount = pod.ServiceAccountName.Length > 0 ? $"service account \"{pod.Namespace}/{pod.ServiceAccountName}\"" : "the pod's service account";
        return new ProviderException(ProviderErrorKind.PermissionDenied, "LoginDenied",
            $"failed to login: Vault refused role \"{config.RoleName}\" at {where} ({e.Reason}){expired}; "
            + $"check that roleName names a role on that auth mount ({config.AuthMount.Source}), that the role binds {serviceAccount}, "
            + $"and that it accepts audience \"{config.Audience}\" (parameter audience)");
    }

    public static ProviderException Read(VaultRequestException e, VaultRequest request, IEnumerable<string> objectNames, VaultMountConfig config)
    {
        var what = $"couldn't read secret: {Objects(objectNames)}";
        var target = $"{request.Method} {request.DisplayPath}";
        if (e.Failure != VaultFailure.Status)
        {
            return Unreachable(e, config.Connection, what);
        }
        return e.StatusCode switch
        {
            403 => new ProviderException(ProviderErrorKind.PermissionDenied, "PermissionDenied",
                $"{what}: Vault denied role \"{config.RoleName}\" (auth/{config.AuthMount.Value}) {target} ({e.Reason}); "
                + $"give a policy of that role the \"{Capability(request.Method)}\" capability on {request.DisplayPath}, or fix secretPath"),
            404 => new ProviderException(ProviderErrorKind.NotFound, "SecretNotFound",
                $"{what}: nothing at {target} ({e.Reason}); check secretPath: KV v2 reads include data/ (secret/data/app), KV v1 reads do not"
                + (config.Connection.Namespace.Length > 0 ? $", and the namespace \"{config.Connection.Namespace}\"" : string.Empty)),
            400 or 405 or 422 => new ProviderException(ProviderErrorKind.InvalidArgument, "VaultRejectedRequest",
                $"{what}: Vault rejected {target} ({e.Reason}); check secretPath, method and secretArgs"),
            412 or 429 or >= 500 => Unreachable(e, config.Connection, what),
            _ => new ProviderException(ProviderErrorKind.FailedPrecondition, "VaultRequestFailed",
                $"{what}: Vault answered {target} with {e.Reason}"),
        };
    }

    private static ProviderException Unreachable(VaultRequestException e, VaultConnection connection, string what)
    {
        var address = $"{connection.Display} ({connection.AddressSource})";
        return e.Failure switch
        {
            VaultFailure.Status when e.StatusCode == 429 => new ProviderException(ProviderErrorKind.ResourceExhausted, "VaultRateLimited",
                $"{what}: Vault at {address} is rate-limiting requests ({e.Reason}); the driver retries on its next rotation or mount attempt"),
            VaultFailure.Status => new ProviderException(ProviderErrorKind.Unavailable, "VaultUnavailable",
                $"{what}: Vault at {address} answered {e.Reason} after retries; check that Vault is unsealed and healthy"),
            VaultFailure.Tls => new ProviderException(ProviderErrorKind.Unavailable, "VaultTlsFailed",
                $"{what}: {e.Reason} with Vault at {address}; check vaultCACertPath/vaultCADirectory (or -vault-tls-ca-cert), vaultTLSServerName and the client certificate"),
            VaultFailure.BadResponse => new ProviderException(ProviderErrorKind.Unavailable, "VaultBadResponse",
                $"{what}: {e.Reason}; check vaultAddress"),
            _ => new ProviderException(ProviderErrorKind.Unavailable, "VaultUnavailable",
                $"{what}: cannot reach Vault at {address}: {e.Reason}; check the address (parameter vaultAddress, flag -vault-addr, VAULT_ADDR) and that Vault is running"),
        };
    }

    private static string Capability(string method) => method switch
    {
        "GET" or "HEAD" => "read",
        "LIST" => "list",
        "DELETE" => "delete",
        "PATCH" => "patch",
        _ => "create\" or \"update",
    };

    [GeneratedRegex(@"^\s*\d+ errors? occurred:\s*", RegexOptions.CultureInvariant)]
    private static partial Regex MultiErrorHeader();
}
