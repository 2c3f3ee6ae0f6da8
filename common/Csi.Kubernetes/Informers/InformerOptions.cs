namespace Csi.Kubernetes.Informers;

/// <summary>What an informer watches: one namespace or all (null), narrowed by label and field selectors.</summary>
public sealed record InformerOptions
{
    public string? Namespace { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>The shortest server-side watch timeout; each watch asks for a random value between this and twice it, as client-go's reflector does.</summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);
}
