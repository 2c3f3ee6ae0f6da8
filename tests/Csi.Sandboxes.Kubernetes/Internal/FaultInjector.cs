namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>Pending injected failures and delays, each consumed by the next requests it matches.</summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<Rule> _rules = [];

    public void Add(Rule rule)
    {
        lock (_gate)
        {
            _rules.Add(rule);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>The first pending rule of the given kind matching the request, consumed once.</summary>
    public Rule? Take(RequestInfo request, bool delay)
    {
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if (rule.IsDelay == delay && rule.Matches(request))
                {
                    rule.Remaining--;
                    if (rule.Remaining <= 0)
                    {
                        _rules.Remove(rule);
                    }

                    return rule;
                }
            }
        }

        return null;
    }

    internal sealed class Rule(int count, string? verb, string? resource, string? ns, string? name)
    {
        public int Remaining { get; set; } = count;

        public bool IsDelay { get; init; }

        public int StatusCode { get; init; }

        public TimeSpan Delay { get; init; }

        public TimeSpan? RetryAfter { get; init; }

        public string? Message { get; init; }

        public bool Matches(RequestInfo request)
        {
            if (verb is not null && !string.Equals(verb, request.Verb, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (resource is not null)
            {
                var full = request.Subresource is null ? request.Resource : request.Resource + "/" + request.Subresource;
                if (!string.Equals(resource, request.Resource, StringComparison.Ordinal) && !string.Equals(resource, full, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return (ns is null || string.Equals(ns, request.Namespace, StringComparison.Ordinal))
                && (name is null || string.Equals(name, request.Name, StringComparison.Ordinal));
        }
    }
}
