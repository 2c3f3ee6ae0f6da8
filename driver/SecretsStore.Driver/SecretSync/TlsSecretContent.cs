using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SecretsStore.Driver.SecretSync;

/// <summary>
/// The kubernetes.io/tls keys of a synced Secret, cut from one mounted file as upstream cuts them: tls.key is the
/// private key (RSA re-encoded PKCS#1, EC as SEC1, other algorithms kept PKCS#8), tls.crt the certificates in file
/// order. The file is PEM (key and certificate blocks in any order) or a PFX, raw or base64 as key vaults return it.
/// Errors say what was missing, never what was there.
/// </summary>
public static class TlsSecretContent
{
    public const string TlsType = "kubernetes.io/tls";
    public const string KeyKey = "tls.key";
    public const string CertificateKey = "tls.crt";

    /// <summary>The bytes a data key of a TLS Secret holds: tls.key and tls.crt are extracted, any other key is the file as is.</summary>
    public static byte[] Extract(byte[] content, string key, string objectName)
    {
        if (key is not (KeyKey or CertificateKey))
        {
            return content;
        }
        var text = Encoding.UTF8.GetString(content);
        if (text.Contains("-----BEGIN ", StringComparison.Ordinal))
        {
            return key == KeyKey ? KeyFromPem(text, objectName) : CertificatesFromPem(text, objectName);
        }
        var certificates = LoadPfx(content, text, objectName);
        try
        {
            return key == KeyKey ? KeyFromPfx(certificates, objectName) : CertificatesFromPfx(certificates);
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    private static byte[] KeyFromPem(string text, string objectName)
    {
        foreach (var (label, block) in PemBlocks(text))
        {
            switch (label)
            {
                case "RSA PRIVATE KEY" or "EC PRIVATE KEY":
                    return Encoding.ASCII.GetBytes(block + "\n");
                case "PRIVATE KEY":
                    return Pkcs8ToTraditional(block);
                case "ENCRYPTED PRIVATE KEY":
                    throw new SecretSyncException($"objectName {objectName} holds an encrypted private key; tls.key needs an unencrypted one");
            }
        }
        throw new SecretSyncException($"objectName {objectName} has no private key PEM block (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) for tls.key");
    }

    private static byte[] Pkcs8ToTraditional(string block)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(block);
            return Encoding.ASCII.GetBytes(rsa.ExportRSAPrivateKeyPem() + "\n");
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // Not RSA: try EC below.
        }
        try
        {
            using var ec = ECDsa.Create();
            ec.ImportFromPem(block);
            return Encoding.ASCII.GetBytes(ec.ExportECPrivateKeyPem() + "\n");
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // Another algorithm (Ed25519, ...): PKCS#8 is what Kubernetes accepts for it.
            return Encoding.ASCII.GetBytes(block + "\n");
        }
    }

    private static byte[] CertificatesFromPem(string text, string objectName)
    {
        var builder = new StringBuilder();
        foreach (var (label, block) in PemBlocks(text))
        {
            if (label == "CERTIFICATE")
            {
                builder.Append(block).Append('\n');
            }
        }
        return builder.Length > 0
            ? Encoding.ASCII.GetBytes(builder.ToString())
            : throw new SecretSyncException($"objectName {objectName} has no CERTIFICATE PEM block for tls.crt");
    }

    private static IEnumerable<(string Label, string Block)> PemBlocks(string text)
    {
        var offset = 0;
        while (offset < text.Length && PemEncoding.TryFind(text.AsSpan(offset), out var fields))
        {
            var label = text.Substring(offset + fields.Label.Start.Value, fields.Label.End.Value - fields.Label.Start.Value);
            var block = text.Substring(offset + fields.Location.Start.Value, fields.Location.End.Value - fields.Location.Start.Value);
            yield return (label, block);
            offset += fields.Location.End.Value;
        }
    }

    private static X509Certificate2Collection LoadPfx(byte[] content, string text, string objectName)
    {
        var candidates = new List<byte[]>(2);
        if (content.Length > 0 && content[0] == 0x30)
        {
            candidates.Add(content); // DER: a raw PFX
        }
        try
        {
            candidates.Add(Convert.FromBase64String(text.Trim()));
        }
        catch (FormatException)
        {
            // Not base64: only the raw form is left.
        }
        foreach (var candidate in candidates)
        {
            foreach (var password in new[] { null, string.Empty })
            {
                try
                {
                    var collection = X509CertificateLoader.LoadPkcs12Collection(candidate, password, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);
                    if (collection.Count > 0)
                    {
                        return collection;
                    }
                }
                catch (CryptographicException)
                {
                    // Wrong form or a password: try the next.
                }
            }
        }
        throw new SecretSyncException($"objectName {objectName} is neither PEM nor a PFX without password (raw or base64); a kubernetes.io/tls Secret needs a key and a certificate");
    }

    private static byte[] KeyFromPfx(X509Certificate2Collection certificates, string objectName)
    {
        var leaf = certificates.FirstOrDefault(c => c.HasPrivateKey)
            ?? throw new SecretSyncException($"objectName {objectName} is a PFX without a private key; tls.key needs one");
        using var rsa = leaf.GetRSAPrivateKey();
        if (rsa is not null)
        {
            return Encoding.ASCII.GetBytes(rsa.ExportRSAPrivateKeyPem() + "\n");
        }
        using var ec = leaf.GetECDsaPrivateKey();
        if (ec is not null)
        {
            return Encoding.ASCII.GetBytes(ec.ExportECPrivateKeyPem() + "\n");
        }
        throw new SecretSyncException($"objectName {objectName} is a PFX whose private key is neither RSA nor EC");
    }

    private static byte[] CertificatesFromPfx(X509Certificate2Collection certificates)
    {
        // Leaf (the one with the key) first, then the rest of the chain in file order.
        var builder = new StringBuilder();
        foreach (var certificate in certificates.OrderBy(c => c.HasPrivateKey ? 0 : 1))
        {
            builder.Append(certificate.ExportCertificatePem()).Append('\n');
        }
        return Encoding.ASCII.GetBytes(builder.ToString());
    }
}
