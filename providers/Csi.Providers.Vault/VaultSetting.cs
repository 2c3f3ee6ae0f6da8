namespace Csi.Providers.Vault;

/// <summary>A resolved setting and where it came from (a parameter, a flag or a variable), so errors can name it.</summary>
internal sealed record VaultSetting(string Value, string Source)
{
    /// <summary>The first setting with a value, in precedence order.</summary>
    public static VaultSetting? First(params (string? Value, string Source)[] layers)
    {
        foreach (var (value, source) in layers)
        {
            if (!string.IsNullOrEmpty(value))
            {
                return new VaultSetting(value, source);
            }
        }
        return null;
    }
}
