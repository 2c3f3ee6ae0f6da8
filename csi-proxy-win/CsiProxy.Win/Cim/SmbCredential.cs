namespace CsiProxy.Win.Cim;

/// <summary>
/// The "user:password" credential string MSFT_SmbGlobalMapping.Create takes. A backslash or colon in the user name
/// is escaped with a backslash so the first unescaped colon always ends it (DOMAIN\user stays one name).
/// </summary>
public static class SmbCredential
{
    public static string Format(string username, string password)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        return username.Replace(@"\", @"\\", StringComparison.Ordinal).Replace(":", @"\:", StringComparison.Ordinal) + ":" + password;
    }
}
