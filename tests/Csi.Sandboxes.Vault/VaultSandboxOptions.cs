using System.Net;
using System.Security.Cryptography.X509Certificates;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Vault;

/// <summary>How a <see cref="VaultSandbox"/> starts.</summary>
public sealed class VaultSandboxOptions
{
    /// <summary>The address to listen on; loopback by default.</summary>
    public IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

    /// <summary>The port; 0 (the default) picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Serve HTTPS with <see cref="TlsCertificate"/> or, when that is null, a self-signed certificate made in memory.</summary>
    public bool UseTls { get; set; }

    /// <summary>The server certificate (with private key) for HTTPS.</summary>
    public X509Certificate2? TlsCertificate { get; set; }

    /// <summary>
    /// Require a client certificate that chains to one of <see cref="TrustedClientCertificateAuthorities"/>
    /// (Vault's <c>tls_require_and_verify_client_cert</c>); the TLS handshake fails otherwise.
    /// </summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>Trust anchors for client certificates when <see cref="RequireClientCertificate"/> is set.</summary>
    public IList<X509Certificate2> TrustedClientCertificateAuthorities { get; } = new List<X509Certificate2>();

    /// <summary>A fixed root token; a random <c>hvs.</c> token when null.</summary>
    public string? RootToken { get; set; }

    /// <summary>The clock for token TTLs, leases, KV timestamps and JWT validation.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The Kubernetes token signer whose public key kubernetes/jwt auth mounts trust by default. When null the
    /// sandbox creates (and owns) one using <see cref="TimeProvider"/>.
    /// </summary>
    public ServiceAccountTokenIssuer? TokenIssuer { get; set; }

    /// <summary>The version reported by <c>sys/health</c>. Namespaces are an Enterprise feature, hence <c>+ent</c>.</summary>
    public string Version { get; set; } = "1.19.0+ent";

    /// <summary>Mount a KV v2 engine at <c>secret/</c> in the root namespace, as <c>vault server -dev</c> does.</summary>
    public bool MountDefaultKvV2 { get; set; } = true;

    /// <summary>When set, one line per request (method, path, namespace, status; never bodies or tokens) is written here.</summary>
    public TextWriter? RequestLogWriter { get; set; }
}
