namespace Csi.Providers.Vault;

/// <summary>One entry of the "objects" parameter, checked, with the request that fetches it.</summary>
/// <param name="ObjectName">The file name (relative path) in the volume, and the object's id.</param>
/// <param name="SecretPath">The path as configured.</param>
/// <param name="SecretKey">The key to extract; null writes the whole response JSON.</param>
/// <param name="Method">The method as configured (empty means GET).</param>
/// <param name="SecretArgs">The JSON body from secretArgs; null when none.</param>
/// <param name="Encoding">utf-8 (also when empty), base64 or hex.</param>
/// <param name="FilePermission">The file mode; null takes the mount's default.</param>
/// <param name="Request">What is sent to Vault.</param>
internal sealed record VaultObject(
    string ObjectName,
    string SecretPath,
    string? SecretKey,
    string Method,
    byte[]? SecretArgs,
    string Encoding,
    int? FilePermission,
    VaultRequest Request);
