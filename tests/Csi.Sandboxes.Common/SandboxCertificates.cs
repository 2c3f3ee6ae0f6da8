using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Csi.Sandboxes.Common;

/// <summary>In-memory X.509 material for sandbox TLS: self-signed server certificates, a CA, and leaf certificates it signs.</summary>
public static class SandboxCertificates
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>
    /// A self-signed server certificate for <c>localhost</c>, <c>127.0.0.1</c> and <c>::1</c> (plus
    /// <paramref name="extraDnsNames"/>), valid from an hour ago for <paramref name="validity"/> (default a day).
    /// </summary>
    public static X509Certificate2 CreateSelfSignedServerCertificate(IEnumerable<string>? extraDnsNames = null, TimeSpan? validity = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost, O=Csi Sandbox", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthOid)], false));
        request.CertificateExtensions.Add(BuildSan(["localhost", .. extraDnsNames ?? []], [IPAddress.Loopback, IPAddress.IPv6Loopback]));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        var now = DateTimeOffset.UtcNow;
        using var cert = request.CreateSelfSigned(now.AddHours(-1), now.Add(validity ?? TimeSpan.FromDays(1)));
        return Reload(cert);
    }

    /// <summary>
    /// A self-signed certificate authority (basic constraints CA, key usage cert/CRL sign), valid from
    /// <paramref name="notBefore"/> (default an hour ago) for <paramref name="validity"/> (default 30 days).
    /// </summary>
    public static X509Certificate2 CreateCertificateAuthority(string commonName = "Csi Sandbox CA", TimeSpan? validity = null, DateTimeOffset? notBefore = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        var start = notBefore ?? DateTimeOffset.UtcNow.AddHours(-1);
        using var cert = request.CreateSelfSigned(start, start.Add(validity ?? TimeSpan.FromDays(30)));
        return Reload(cert);
    }

    /// <summary>
    /// A leaf certificate with a fresh RSA key, signed by <paramref name="authority"/> (which must hold its private key).
    /// </summary>
    public static X509Certificate2 IssueCertificate(
        X509Certificate2 authority,
        string commonName,
        bool clientAuth,
        bool serverAuth,
        IEnumerable<string>? dnsNames = null,
        IEnumerable<IPAddress>? ipAddresses = null,
        TimeSpan? validity = null,
        DateTimeOffset? notBefore = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);

        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));

        var usages = new OidCollection();
        if (serverAuth)
        {
            usages.Add(new Oid(ServerAuthOid));
        }

        if (clientAuth)
        {
            usages.Add(new Oid(ClientAuthOid));
        }

        if (usages.Count > 0)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        }

        var dns = dnsNames?.ToArray() ?? [];
        var ips = ipAddresses?.ToArray() ?? [];
        if (dns.Length > 0 || ips.Length > 0)
        {
            request.CertificateExtensions.Add(BuildSan(dns, ips));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));

        var start = notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5);
        if (start < authority.NotBefore)
        {
            start = authority.NotBefore;
        }

        var end = start.Add(validity ?? TimeSpan.FromDays(1));
        if (end > authority.NotAfter)
        {
            end = authority.NotAfter;
        }

        var serial = new byte[16];
        System.Security.Cryptography.RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var signed = request.Create(authority, start, end, serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    /// <summary>
    /// True when <paramref name="certificate"/> chains to one of <paramref name="authorities"/> using only those
    /// as trust anchors (no system store, no revocation checks), at <paramref name="verificationTime"/> (default now).
    /// </summary>
    public static bool ChainsTo(X509Certificate2 certificate, IEnumerable<X509Certificate2> authorities, DateTimeOffset? verificationTime = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(authorities);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (verificationTime is { } at)
        {
            chain.ChainPolicy.VerificationTime = at.LocalDateTime;
        }

        foreach (var authority in authorities)
        {
            chain.ChainPolicy.CustomTrustStore.Add(authority);
        }

        return chain.ChainPolicy.CustomTrustStore.Count > 0 && chain.Build(certificate);
    }

    private static X509Extension BuildSan(IEnumerable<string> dnsNames, IEnumerable<IPAddress> ipAddresses)
    {
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            san.AddDnsName(dns);
        }

        foreach (var ip in ipAddresses)
        {
            san.AddIpAddress(ip);
        }

        return san.Build();
    }

    // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
    private static X509Certificate2 Reload(X509Certificate2 cert) =>
        X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
}
