namespace Csi.Providers.Azure;

/// <summary>One entry of the <c>objects</c> parameter, trimmed and checked.</summary>
/// <param name="ObjectName">The Key Vault object name.</param>
/// <param name="Type">secret, key or cert.</param>
/// <param name="TypeName">The objectType as written (the object id uses it).</param>
/// <param name="ObjectVersion">A version id, or null for the current version (empty or <c>latest</c>).</param>
/// <param name="ObjectVersionHistory">How many versions to write; 1 or less writes one file.</param>
/// <param name="ObjectAlias">The file name when set.</param>
/// <param name="Pfx">objectFormat pfx: write a certificate-backed secret as its base64 PFX.</param>
/// <param name="Encoding">objectEncoding, lower-cased: utf-8, base64 or hex (secrets only).</param>
/// <param name="FileMode">filePermission, or null for the request's default mode.</param>
internal sealed record KeyVaultObject(
    string ObjectName,
    KeyVaultObjectType Type,
    string TypeName,
    string? ObjectVersion,
    int ObjectVersionHistory,
    string ObjectAlias,
    bool Pfx,
    string Encoding,
    int? FileMode)
{
    /// <summary>The file the object is written to: the alias, else the name.</summary>
    public string FileName => ObjectAlias.Length > 0 ? ObjectAlias : ObjectName;

    /// <summary>True unless more than one version is synced.</summary>
    public bool IsSingleVersion => ObjectVersionHistory <= 1;

    /// <summary>The id shown in SecretProviderClassPodStatus: <c>&lt;type&gt;/&lt;name&gt;</c>.</summary>
    public string ObjectId => $"{TypeName}/{ObjectName}";
}
