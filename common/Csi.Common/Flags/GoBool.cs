namespace Csi.Common.Flags;

/// <summary>
/// Go's strconv.ParseBool: upstream binaries read boolean flags and SecretProviderClass parameters
/// (vaultSkipTLSVerify, usePodIdentity, ...) with it, so the same spellings must mean the same here.
/// </summary>
public static class GoBool
{
    public static bool TryParse(string text, out bool value)
    {
        switch (text)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
