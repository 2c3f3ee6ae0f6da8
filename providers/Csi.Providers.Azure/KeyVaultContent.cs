using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Csi.Providers.Azure;

/// <summary>Turns what Key Vault returns into file content, as upstream writes it.</summary>
internal static class KeyVaultContent
{
    public const string PemContentType = "application/x-pem-file";
    public const string Pkcs12ContentType = "application/x-pkcs12";

    /// <summary>A leaf certificate (<c>cer</c>) as one CERTIFICATE block.</summary>
    public static string CertificatePem(ReadOnlySpan<byte> der) => PemEncoding.WriteString("CERTIFICATE", der) + "\n";

    /// <summary>A JWK's public part as a PKIX PUBLIC KEY block; null with <paramref name="error"/> for other key types.</summary>
    public static string? PublicKeyPem(JsonElement jwk, out string? error)
    {
        error = null;
        var kty = jwk.TryGetProperty("kty", out var t) ? t.GetString() ?? string.Empty : string.Empty;
        switch (kty)
        {
            case "RSA" or "RSA-HSM":
            {
                using var rsa = RSA.Create();
                rsa.ImportParameters(new RSAParameters { Modulus = Bytes(jwk, "n"), Exponent = Bytes(jwk, "e") });
                return PemEncoding.WriteString("PUBLIC KEY", rsa.ExportSubjectPublicKeyInfo()) + "\n";
            }

            case "EC" or "EC-HSM":
            {
                var crv = jwk.TryGetProperty("crv", out var c) ? c.GetString() : null;
                ECCurve curve;
                switch (crv)
                {
                    case "P-256":
                        curve = ECCurve.NamedCurves.nistP256;
                        break;
                    case "P-384":
                        curve = ECCurve.NamedCurves.nistP384;
                        break;
                    case "P-521":
                        curve = ECCurve.NamedCurves.nistP521;
                        break;
                    default:
                        error = $"curve {crv} is not supported";
                        return null;
                }

                using var ec = ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = Bytes(jwk, "x"), Y = Bytes(jwk, "y") } });
                return PemEncoding.WriteString("PUBLIC KEY", ec.ExportSubjectPublicKeyInfo()) + "\n";
            }

            default:
                error = $"failed to get key. key type '{kty}' currently not supported";
                return null;
        }
    }

    /// <summary>
    /// A base64 PFX as PEM: every private key first (PKCS#8 PRIVATE KEY), then the certificates, ordered leaf to
    /// root when <paramref name="constructChain"/> and the chain is complete, else in the PFX's order.
    /// </summary>
    public static string Pkcs12ToPem(string base64Pfx, bool constructChain)
    {
        var raw = Convert.FromBase64String(base64Pfx);
        var certificates = X509CertificateLoader.LoadPkcs12Collection(raw, null, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);
        try
        {
            var keys = new StringBuilder();
            foreach (var certificate in certificates)
            {
                if (!certificate.HasPrivateKey)
                {
                    continue;
                }

                using AsymmetricAlgorithm? key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey();
                if (key is not null)
                {
                    keys.Append(PemEncoding.Write("PRIVATE KEY", key.ExportPkcs8PrivateKey())).Append('\n');
                }
            }

            var ordered = constructChain ? OrderChain([.. certificates]) : [.. certificates];
            foreach (var certificate in ordered)
            {
                keys.Append(PemEncoding.Write("CERTIFICATE", certificate.RawData)).Append('\n');
            }

            return keys.ToString();
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>Leaf first, then each issuer; the original order when the certificates do not form one chain.</summary>
    internal static List<X509Certificate2> OrderChain(List<X509Certificate2> certificates)
    {
        if (certificates.Count <= 1)
        {
            return certificates;
        }

        var leaves = certificates.Where(c => !certificates.Any(other => !ReferenceEquals(other, c) && IssuedBy(other, c))).ToList();
        if (leaves.Count != 1)
        {
            return certificates;
        }

        var ordered = new List<X509Certificate2> { leaves[0] };
        var current = leaves[0];
        while (ordered.Count < certificates.Count)
        {
            var parent = certificates.FirstOrDefault(p => !ordered.Contains(p) && IssuedBy(current, p));
            if (parent is null)
            {
                break;
            }

            ordered.Add(parent);
            current = parent;
        }

        return ordered.Count == certificates.Count ? ordered : certificates;
    }

    /// <summary>Whether <paramref name="child"/> names <paramref name="issuer"/> as its issuer (by name and, when present, key id).</summary>
    private static bool IssuedBy(X509Certificate2 child, X509Certificate2 issuer)
    {
        if (ReferenceEquals(child, issuer) || !child.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData))
        {
            return false;
        }

        var aki = child.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier;
        var ski = issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes;
        return aki is null || ski is null || aki.Value.Span.SequenceEqual(ski.Value.Span);
    }

    /// <summary>A PEM bundle's CERTIFICATE blocks and its key blocks, each in their order, for the .crt and .key files.</summary>
    public static (byte[] Certificates, byte[] Keys) SplitCertificatesAndKeys(string pem)
    {
        var certificates = new StringBuilder();
        var keys = new StringBuilder();
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var block = rest[fields.Location];
            (rest[fields.Label].SequenceEqual("CERTIFICATE") ? certificates : keys).Append(block).Append('\n');
            rest = rest[fields.Location.End..];
        }

        return (Encoding.UTF8.GetBytes(certificates.ToString()), Encoding.UTF8.GetBytes(keys.ToString()));
    }

    /// <summary>objectEncoding applied to a secret's value: utf-8 writes it as is, base64 and hex decode it.</summary>
    public static byte[] Decode(string value, string encoding) => encoding switch
    {
        "base64" => Convert.FromBase64String(value),
        "hex" => Convert.FromHexString(value),
        _ => Encoding.UTF8.GetBytes(value),
    };

    private static byte[] Bytes(JsonElement jwk, string name) =>
        jwk.TryGetProperty(name, out var value) && value.GetString() is { } text
            ? System.Buffers.Text.Base64Url.DecodeFromChars(text)
            : throw new FormatException($"the JWK has no {name}");
}
