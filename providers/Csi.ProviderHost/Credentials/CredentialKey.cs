using System.Security.Cryptography;
using System.Text;

namespace Csi.ProviderHost.Credentials;

/// <summary>
/// What a cached credential belongs to: the identity it was issued for and a hash of the secret material (pod token,
/// client secret) that earned it, never the material itself. Two callers share a credential only when both the
/// identity and the material are the same.
/// </summary>
public readonly record struct CredentialKey
{
    private CredentialKey(string value)
    {
        Value = value;
    }

    public string Value { get; }

    /// <param name="secretMaterial">The token or secret presented to get the credential; empty or null when there is none.</param>
    /// <param name="identity">Every part that names the identity (mode, tenant, role, namespace, service account, region, ...).</param>
    public static CredentialKey For(string? secretMaterial, params string?[] identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var hash = string.IsNullOrEmpty(secretMaterial) ? "-" : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secretMaterial)));
        // Each part carries its length, so no two different identities join to the same key.
        var builder = new StringBuilder();
        foreach (var part in identity)
        {
            builder.Append((part ?? string.Empty).Length).Append(':').Append(part).Append('|');
        }
        return new CredentialKey(builder.Append(hash).ToString());
    }

    public override string ToString() => "CredentialKey";
}
