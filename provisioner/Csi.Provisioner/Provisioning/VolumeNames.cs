namespace Csi.Provisioner.Provisioning;

/// <summary>
/// The PV name, which is also CreateVolume's name and so the idempotency key: <c>&lt;prefix&gt;-&lt;claim uid&gt;</c>;
/// a uuid length truncates the uid with its dashes removed, as upstream does.
/// </summary>
public static class VolumeNames
{
    public static string For(string prefix, int uuidLength, string claimUid)
    {
        ArgumentNullException.ThrowIfNull(claimUid);
        var uid = claimUid;
        if (uuidLength >= 0)
        {
            uid = uid.Replace("-", string.Empty, StringComparison.Ordinal);
            if (uid.Length > uuidLength)
            {
                uid = uid[..uuidLength];
            }
        }
        return prefix + "-" + uid;
    }
}
