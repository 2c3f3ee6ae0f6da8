namespace Csi.Providers.Vault;

/// <summary>A Vault client token and whether this call logged in for it (a fresh token's 403 is a real denial).</summary>
internal readonly record struct VaultToken(string Value, bool Fresh)
{
    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"VaultToken {{ Fresh = {Fresh} }}";
}
