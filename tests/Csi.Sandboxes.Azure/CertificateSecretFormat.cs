namespace Csi.Sandboxes.Azure;

/// <summary>How Key Vault stores the secret that backs a certificate (the policy's <c>secret_props.contentType</c>).</summary>
public enum CertificateSecretFormat
{
    /// <summary><c>application/x-pkcs12</c>: the secret value is a base64 PFX holding the key and the chain.</summary>
    Pkcs12,

    /// <summary><c>application/x-pem-file</c>: the secret value is PEM text, private key first, then the chain.</summary>
    Pem,
}
