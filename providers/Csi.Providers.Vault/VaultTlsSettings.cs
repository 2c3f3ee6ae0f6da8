namespace Csi.Providers.Vault;

/// <summary>
/// TLS towards Vault, resolved across parameter, flag and environment as Vault's Go client overlays them:
/// the CA pair and the client certificate pair each come whole from the highest layer that sets them.
/// </summary>
internal sealed record VaultTlsSettings(
    VaultSetting? CaCert,
    VaultSetting? CaDirectory,
    VaultSetting? ServerName,
    VaultSetting? ClientCert,
    VaultSetting? ClientKey,
    bool SkipVerify)
{
    public static readonly VaultTlsSettings None = new(null, null, null, null, null, SkipVerify: false);

    /// <summary>A string that differs when any setting differs.</summary>
    public string CacheKey() => string.Join('\u001f', CaCert?.Value ?? "-", CaDirectory?.Value ?? "-", ServerName?.Value ?? "-", ClientCert?.Value ?? "-", ClientKey?.Value ?? "-", SkipVerify ? "1" : "0");

    /// <summary>When the files were last written: a rotated CA, certificate or key changes it.</summary>
    public string FileStamp() => string.Join('\u001f', Stamp(CaCert), Stamp(CaDirectory), Stamp(ClientCert), Stamp(ClientKey));

    private static string Stamp(VaultSetting? setting)
    {
        if (setting is null)
        {
            return "-";
        }
        try
        {
            var path = setting.Value;
            var time = Directory.Exists(path) ? Directory.GetLastWriteTimeUtc(path) : File.GetLastWriteTimeUtc(path);
            return time.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return "?";
        }
    }
}
