namespace Csi.Sandboxes.Vault.Internal;

/// <summary>Pending injected failures and delays, consumed by matching requests.</summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<Rule> _failures = [];
    private readonly List<Rule> _delays = [];

    public void AddFailure(string pathPrefix, string? method, int count, int status, string? message)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 100);
        lock (_gate)
        {
            _failures.Add(new Rule(Normalize(pathPrefix), method?.ToUpperInvariant(), count) { Status = status, Message = message });
        }
    }

    public void AddDelay(string pathPrefix, string? method, int count, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            _delays.Add(new Rule(Normalize(pathPrefix), method?.ToUpperInvariant(), count) { Delay = delay });
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _failures.Clear();
            _delays.Clear();
        }
    }

    public TimeSpan TakeDelay(string method, string rawPath)
    {
        lock (_gate)
        {
            return Take(_delays, method, rawPath)?.Delay ?? TimeSpan.Zero;
        }
    }

    public VaultResponse? TakeFailure(string method, string rawPath)
    {
        Rule? rule;
        lock (_gate)
        {
            rule = Take(_failures, method, rawPath);
        }

        if (rule is null)
        {
            return null;
        }

        var message = rule.Message ?? rule.Status switch
        {
            500 => "internal error",
            503 => "Vault is sealed",
            429 => $"request path \"{Normalize(rawPath)}\": rate limit quota exceeded",
            502 => "upstream error",
            _ => "injected fault",
        };
        return VaultResponse.InjectedError(rule.Status, message);
    }

    private static Rule? Take(List<Rule> rules, string method, string rawPath)
    {
        var path = Normalize(rawPath);
        foreach (var rule in rules)
        {
            if ((rule.Method is null || string.Equals(rule.Method, method, StringComparison.Ordinal))
                && path.StartsWith(rule.Prefix, StringComparison.Ordinal))
            {
                rule.Remaining--;
                if (rule.Remaining <= 0)
                {
                    rules.Remove(rule);
                }

                return rule;
            }
        }

        return null;
    }

    private static string Normalize(string path)
    {
        var p = path.TrimStart('/');
        return p.StartsWith("v1/", StringComparison.Ordinal) ? p[3..] : p;
    }

    private sealed class Rule(string prefix, string? method, int count)
    {
        public string Prefix { get; } = prefix;

        public string? Method { get; } = method;

        public int Remaining { get; set; } = count;

        public int Status { get; init; }

        public string? Message { get; init; }

        public TimeSpan Delay { get; init; }
    }
}

/// <summary>The requests answered so far.</summary>
internal sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly List<VaultRequestLogEntry> _entries = [];

    public void Add(VaultRequestLogEntry entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
        }
    }

    public IReadOnlyList<VaultRequestLogEntry> Snapshot()
    {
        lock (_gate)
        {
            return _entries.ToArray();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }
}
