namespace Csi.Sandboxes.Vault.Internal;

/// <summary>
/// Vault's ACL evaluation, reduced to path rules: rules of all the token's policies are merged per path pattern
/// (capabilities unioned), the most specific matching pattern wins by Vault's priority rules, and <c>deny</c>
/// beats everything.
/// </summary>
internal static class Acl
{
    public static readonly IReadOnlyList<VaultPolicyRule> DefaultPolicy =
    [
        new("auth/token/lookup-self", "read"),
        new("auth/token/renew-self", "update"),
        new("auth/token/revoke-self", "update"),
        new("sys/capabilities-self", "update"),
        new("sys/leases/lookup", "update"),
        new("sys/leases/renew", "update"),
        new("sys/renew", "update"),
    ];

    public static bool Allows(IEnumerable<IReadOnlyList<VaultPolicyRule>> policies, string path, string capability)
    {
        var merged = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            foreach (var rule in policy)
            {
                if (!merged.TryGetValue(rule.Path, out var caps))
                {
                    caps = new HashSet<string>(StringComparer.Ordinal);
                    merged[rule.Path] = caps;
                }

                foreach (var c in rule.Capabilities)
                {
                    caps.Add(c.ToLowerInvariant());
                }
            }
        }

        string? best = null;
        foreach (var pattern in merged.Keys)
        {
            if (Matches(pattern, path) && (best is null || HigherPriority(pattern, best)))
            {
                best = pattern;
            }
        }

        if (best is null)
        {
            return false;
        }

        var granted = merged[best];
        return !granted.Contains("deny") && granted.Contains(capability);
    }

    public static bool Matches(string pattern, string path)
    {
        var glob = pattern.EndsWith('*');
        var prefix = glob ? pattern[..^1] : pattern;
        if (!prefix.Contains('+', StringComparison.Ordinal))
        {
            return glob ? path.StartsWith(prefix, StringComparison.Ordinal) : string.Equals(path, prefix, StringComparison.Ordinal);
        }

        var patternSegments = prefix.Split('/');
        var pathSegments = path.Split('/');
        for (var i = 0; i < patternSegments.Length; i++)
        {
            if (i >= pathSegments.Length)
            {
                return false;
            }

            var last = i == patternSegments.Length - 1;
            if (string.Equals(patternSegments[i], "+", StringComparison.Ordinal))
            {
                if (pathSegments[i].Length == 0)
                {
                    return false;
                }

                continue;
            }

            if (last && glob)
            {
                return pathSegments[i].StartsWith(patternSegments[i], StringComparison.Ordinal);
            }

            if (!string.Equals(patternSegments[i], pathSegments[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return glob || pathSegments.Length == patternSegments.Length;
    }

    /// <summary>Vault's rules for choosing between two matching patterns (policy docs, "Priority matching").</summary>
    private static bool HigherPriority(string a, string b)
    {
        var wa = FirstWildcard(a);
        var wb = FirstWildcard(b);
        if (wa != wb)
        {
            return wa > wb;
        }

        var ga = a.EndsWith('*');
        var gb = b.EndsWith('*');
        if (ga != gb)
        {
            return !ga;
        }

        var pa = a.Split('/').Count(s => s == "+");
        var pb = b.Split('/').Count(s => s == "+");
        if (pa != pb)
        {
            return pa < pb;
        }

        if (a.Length != b.Length)
        {
            return a.Length > b.Length;
        }

        return string.CompareOrdinal(a, b) > 0;
    }

    private static int FirstWildcard(string pattern)
    {
        var i = pattern.IndexOfAny(['+', '*']);
        return i < 0 ? int.MaxValue : i;
    }
}
