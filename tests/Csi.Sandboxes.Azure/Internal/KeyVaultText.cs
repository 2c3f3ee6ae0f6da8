using System.Security.Cryptography;

namespace Csi.Sandboxes.Azure.Internal;

internal static class KeyVaultText
{
    /// <summary>A Key Vault object version: 32 lowercase hex digits.</summary>
    public static string NewVersion() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string Base64Url(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
