using System.Text.Json.Nodes;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Vault.Internal;

/// <summary>The time-claim checks of hashicorp/cap's jwt.Validator, with its default leeways and messages.</summary>
internal static class JwtChecks
{
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DefaultExpirationLeeway = TimeSpan.FromSeconds(150);
    public static readonly TimeSpan DefaultNotBeforeLeeway = TimeSpan.FromSeconds(150);

    /// <summary>Null when the token is valid at <paramref name="now"/>; otherwise cap's message.</summary>
    public static string? CheckTimes(JsonObject payload, DateTimeOffset now, bool allowMissing, TimeSpan clockSkew)
    {
        var iat = Seconds(payload, "iat");
        var nbf = Seconds(payload, "nbf");
        var exp = Seconds(payload, "exp");
        if (iat == 0 && nbf == 0 && exp == 0)
        {
            return allowMissing ? null : "no issued at (iat), not before (nbf), or expiration time (exp) claims in token";
        }

        if (exp == 0)
        {
            exp = Math.Max(iat, nbf) + (long)DefaultExpirationLeeway.TotalSeconds;
        }

        if (nbf == 0)
        {
            nbf = iat != 0 ? iat : exp - (long)DefaultNotBeforeLeeway.TotalSeconds;
        }

        var skew = clockSkew < TimeSpan.Zero ? TimeSpan.Zero : clockSkew;
        if (now + skew < DateTimeOffset.FromUnixTimeSeconds(nbf))
        {
            return "invalid not before (nbf) claim: token not yet valid";
        }

        if (now - skew > DateTimeOffset.FromUnixTimeSeconds(exp))
        {
            return "invalid expiration time (exp) claim: token is expired";
        }

        if (iat != 0 && now + skew < DateTimeOffset.FromUnixTimeSeconds(iat))
        {
            return "invalid issued at (iat) claim: token issued in the future";
        }

        return null;
    }

    private static long Seconds(JsonObject payload, string claim) =>
        CompactJwt.ReadNumericDate(payload, claim)?.ToUnixTimeSeconds() ?? 0;
}
