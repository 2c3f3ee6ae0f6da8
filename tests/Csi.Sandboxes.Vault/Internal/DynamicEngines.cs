using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Vault.Internal;

/// <summary>
/// The database secrets engine's credential path: every read of <c>creds/&lt;role&gt;</c> returns a new
/// username/password and a new lease.
/// </summary>
internal sealed class DatabaseEngine : SecretEngine
{
    private const string PasswordAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";

    public DatabaseEngine(string path)
        : base(path, "database")
    {
    }

    public Dictionary<string, VaultDatabaseRole> Roles { get; } = new(StringComparer.Ordinal);

    /// <summary>Usernames handed out, newest last (inspection for tests).</summary>
    public List<string> IssuedUsernames { get; } = [];

    public override VaultResponse Handle(EngineRequest request)
    {
        if (!request.Path.StartsWith("creds/", StringComparison.Ordinal))
        {
            return VaultResponse.MultiError(404, "unsupported path");
        }

        if (request.Operation != "read")
        {
            return VaultResponse.MultiError(405, "unsupported operation");
        }

        var roleName = request.Path["creds/".Length..];
        if (!Roles.TryGetValue(roleName, out var role))
        {
            return VaultResponse.BadRequest($"unknown role: {roleName}");
        }

        var username = string.Create(
            CultureInfo.InvariantCulture,
            $"v-{Truncate(request.Token.DisplayName, 8)}-{Truncate(roleName, 8)}-{VaultText.Random(20)}-{request.Now.ToUnixTimeSeconds()}");
        if (username.Length > 63)
        {
            username = username[..63];
        }

        IssuedUsernames.Add(username);
        var data = new JsonObject
        {
            ["password"] = NewPassword(),
            ["username"] = username,
        };
        var leaseId = $"{Path}creds/{roleName}/{VaultText.Random(24)}{LeaseSuffix(request.Namespace)}";
        return VaultResponse.Envelope(200, data, Type, leaseId, renewable: true, leaseDuration: (long)role.DefaultTtl.TotalSeconds);
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    // Vault's default password policy: 20 characters with at least one lower, upper, digit and dash.
    private static string NewPassword()
    {
        while (true)
        {
            var candidate = RandomNumberGenerator.GetString(PasswordAlphabet, 20);
            if (candidate.Any(char.IsAsciiLetterLower) && candidate.Any(char.IsAsciiLetterUpper)
                && candidate.Any(char.IsAsciiDigit) && candidate.Contains('-', StringComparison.Ordinal))
            {
                return candidate;
            }
        }
    }
}

/// <summary>
/// A stand-in for any other plugin: paths below the mount answer with configured data (or a factory's), wrapped
/// in Vault's envelope with lease fields.
/// </summary>
internal sealed class GenericEngine : SecretEngine
{
    public GenericEngine(string path, string type)
        : base(path, type)
    {
    }

    public Dictionary<string, Func<VaultGenericRequest, VaultGenericSecret?>> Paths { get; } = new(StringComparer.Ordinal);

    public override VaultResponse Handle(EngineRequest request)
    {
        if (!Paths.TryGetValue(request.Path, out var factory))
        {
            return VaultResponse.NotFound();
        }

        var secret = factory(new VaultGenericRequest(request.Method, request.Path, (JsonObject?)request.Body?.DeepClone(), request.Query));
        if (secret is null)
        {
            return VaultResponse.NotFound();
        }

        var leaseId = secret.LeaseDuration > TimeSpan.Zero
            ? $"{Path}{request.Path}/{VaultText.Random(24)}{LeaseSuffix(request.Namespace)}"
            : string.Empty;
        return VaultResponse.Envelope(200, secret.Data.DeepClone(), Type, leaseId, secret.Renewable, (long)secret.LeaseDuration.TotalSeconds);
    }
}

/// <summary>
/// A PKI engine with an in-memory root CA: <c>issue/&lt;role&gt;</c> returns a real certificate and key signed by
/// it; <c>ca/pem</c> and <c>cert/ca</c> return the CA.
/// </summary>
internal sealed class PkiEngine : SecretEngine, IDisposable
{
    public PkiEngine(string path, TimeProvider clock)
        : base(path, "pki")
    {
        // Valid relative to the sandbox clock, so a manual clock in the past still issues usable chains.
        Authority = SandboxCertificates.CreateCertificateAuthority(
            $"{path.TrimEnd('/')} sandbox root CA", TimeSpan.FromDays(3650), clock.GetUtcNow().AddDays(-1));
    }

    public X509Certificate2 Authority { get; }

    public Dictionary<string, VaultPkiRole> Roles { get; } = new(StringComparer.Ordinal);

    public override VaultResponse Handle(EngineRequest request)
    {
        var caPem = Authority.ExportCertificatePem();
        switch (request.Path)
        {
            case "ca/pem" when request.Operation == "read":
                return VaultResponse.FromRaw(200, caPem + "\n", "application/pem-certificate-chain");
            case "cert/ca" when request.Operation == "read":
                return VaultResponse.Ok(new JsonObject { ["certificate"] = caPem, ["revocation_time"] = 0 }, Type);
        }

        if (!request.Path.StartsWith("issue/", StringComparison.Ordinal))
        {
            return VaultResponse.MultiError(404, "unsupported path");
        }

        if (request.Operation is not ("create" or "update"))
        {
            return VaultResponse.MultiError(405, "unsupported operation");
        }

        var roleName = request.Path["issue/".Length..];
        if (!Roles.TryGetValue(roleName, out var role))
        {
            return VaultResponse.BadRequest($"unknown role: {roleName}");
        }

        var commonName = ReadString(request.Body, "common_name");
        if (string.IsNullOrEmpty(commonName))
        {
            return VaultResponse.BadRequest("the common_name field is required, or must be provided in a CSR with \"use_csr_common_name\" set to true, unless \"require_cn\" is set to false");
        }

        if (!NameAllowed(role, commonName))
        {
            return VaultResponse.BadRequest($"common name {commonName} not allowed by this role");
        }

        var dnsNames = new List<string> { commonName };
        foreach (var alt in SplitList(ReadString(request.Body, "alt_names")))
        {
            if (!NameAllowed(role, alt))
            {
                return VaultResponse.BadRequest($"subject alternate name {alt} not allowed by this role");
            }

            dnsNames.Add(alt);
        }

        var ips = new List<IPAddress>();
        foreach (var ip in SplitList(ReadString(request.Body, "ip_sans")))
        {
            if (!IPAddress.TryParse(ip, out var parsed))
            {
                return VaultResponse.BadRequest($"the value \"{ip}\" is not a valid IP address");
            }

            ips.Add(parsed);
        }

        var ttl = role.Ttl;
        if (request.Body?["ttl"] is { } ttlNode && VaultText.TryParseDuration(ttlNode, out var requested) && requested > TimeSpan.Zero)
        {
            ttl = requested;
        }

        if (ttl > role.MaxTtl)
        {
            ttl = role.MaxTtl;
        }

        using var leaf = SandboxCertificates.IssueCertificate(
            Authority, commonName, clientAuth: true, serverAuth: true, dnsNames, ips, ttl, request.Now.AddSeconds(-30));
        using var key = leaf.GetRSAPrivateKey() ?? throw new InvalidOperationException("issued certificate has no RSA key");

        var serial = Convert.ToHexStringLower(leaf.SerialNumberBytes.Span);
        var data = new JsonObject
        {
            ["ca_chain"] = new JsonArray(caPem),
            ["certificate"] = leaf.ExportCertificatePem(),
            ["expiration"] = new DateTimeOffset(leaf.NotAfter.ToUniversalTime()).ToUnixTimeSeconds(),
            ["issuing_ca"] = caPem,
            ["private_key"] = key.ExportRSAPrivateKeyPem(),
            ["private_key_type"] = "rsa",
            ["serial_number"] = string.Join(':', Enumerable.Range(0, serial.Length / 2).Select(i => serial.Substring(i * 2, 2))),
        };
        return VaultResponse.Ok(data, Type);
    }

    public void Dispose() => Authority.Dispose();

    private static bool NameAllowed(VaultPkiRole role, string name)
    {
        if (role.AllowAnyName || (role.AllowLocalhost && string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        foreach (var domain in role.AllowedDomains)
        {
            if (domain.Contains('*', StringComparison.Ordinal) && VaultText.GlobMatch(domain, name))
            {
                return true;
            }

            if (role.AllowBareDomains && string.Equals(name, domain, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (role.AllowSubdomains && name.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string? ReadString(JsonObject? body, string name) =>
        body?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string[] SplitList(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
