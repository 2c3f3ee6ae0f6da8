using Csi.Common.Flags;

namespace Csi.Benchmarks;

/// <summary>The benchmark's command line.</summary>
internal sealed class BenchmarkOptions
{
    public const int LocalVolumeDefaultWarmup = 3;
    public const int LocalVolumeDefaultIterations = 50;

    // Parse applies every default first, then the flags given: a second call of a setter means the flag was given.
    private int _warmupSets;
    private int _iterationSets;

    public int Warmup { get; private set; }

    public int Iterations { get; private set; }

    /// <summary>Warm-up volumes per layout of the localvolume section: --warmup when given, else a small default (each volume costs mkfs and mounts).</summary>
    public int LocalVolumeWarmup => _warmupSets > 1 ? Warmup : LocalVolumeDefaultWarmup;

    /// <summary>Measured volumes per layout of the localvolume section: --iterations when given, else a small default.</summary>
    public int LocalVolumeIterations => _iterationSets > 1 ? Iterations : LocalVolumeDefaultIterations;

    public int Starts { get; private set; }

    public int Cycles { get; private set; }

    public int Republishes { get; private set; }

    /// <summary>Claims of the provisioner section's unthrottled run.</summary>
    public int Claims { get; private set; }

    /// <summary>Claims of the provisioner section's run at --kube-api-qps 5 (about a second each at that limit).</summary>
    public int ThrottledClaims { get; private set; }

    public string? JsonPath { get; private set; }

    /// <summary>binaries: a folder of binaries from an earlier build to start beside today's, or null.</summary>
    public string? Before { get; private set; }

    /// <summary>The sections to run: binaries, driver, vault, azure, aws, localvolume, kubeclient, metrics, reconciler, provisioner.</summary>
    public IReadOnlySet<string> Sections { get; private set; } = new HashSet<string>(AllSections, StringComparer.Ordinal);

    public static IReadOnlyList<string> AllSections { get; } = ["binaries", "driver", "vault", "azure", "aws", "localvolume", "kubeclient", "metrics", "reconciler", "provisioner"];

    public bool ShowHelp { get; private set; }

    public static string Usage() => Define(new BenchmarkOptions()).Usage();

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        var flags = Define(options);
        flags.Parse(args);
        if (flags.Remaining.Count > 0)
        {
            throw new FlagException($"unexpected argument \"{flags.Remaining[0]}\"");
        }
        return options;
    }

    private static FlagSet Define(BenchmarkOptions o)
    {
        var flags = new FlagSet("csi-benchmarks");
        flags.AddInt("warmup", 20, $"untimed publish iterations before each measured series (localvolume: {LocalVolumeDefaultWarmup} unless given)", v =>
        {
            o.Warmup = Count("warmup", v, 0);
            o._warmupSets++;
        });
        flags.AddInt("iterations", 200, $"measured publish iterations per object count, driver and baseline each (localvolume: volumes per layout, {LocalVolumeDefaultIterations} unless given)", v =>
        {
            o.Iterations = Count("iterations", v, 1);
            o._iterationSets++;
        });
        flags.AddInt("starts", 7, "measured starts of each binary (binaries) and of the driver (after one untimed start); kubeclient: starts of each probe per claim count; metrics: runs of each probe", v => o.Starts = Count("starts", v, 1));
        flags.AddInt("cycles", 1000, "publish+unpublish cycles (10 objects) before the second RSS reading", v => o.Cycles = Count("cycles", v, 0));
        flags.AddInt("republishes", 1000, "measured republishes of a mounted volume that is not due for rotation", v => o.Republishes = Count("republishes", v, 1));
        flags.AddInt("pvcs", 1000, "provisioner: claims created at once without client-side throttling", v => o.Claims = Count("pvcs", v, 1));
        flags.AddInt("throttled-pvcs", 100, "provisioner: claims created at once at upstream's --kube-api-qps 5 --kube-api-burst 10", v => o.ThrottledClaims = Count("throttled-pvcs", v, 1));
        flags.AddString("only", string.Join(',', AllSections), "comma-separated sections to run: " + string.Join(", ", AllSections), v => o.Sections = ParseSections(v));
        flags.AddString("before", string.Empty, "binaries: a folder of Native AOT binaries from an earlier build, started beside today's (same file names)", v => o.Before = v.Length == 0 ? null : Path.GetFullPath(v));
        flags.AddString("json", string.Empty, "also write the figures as JSON to this file", v => o.JsonPath = v.Length == 0 ? null : v);
        flags.AddBool("help", false, "print this help and exit", v => o.ShowHelp = v);
        return flags;
    }

    private static HashSet<string> ParseSections(string text)
    {
        var sections = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!AllSections.Contains(part))
            {
                throw new FlagException($"--only: unknown section \"{part}\"; use any of {string.Join(", ", AllSections)}");
            }

            sections.Add(part);
        }

        return sections.Count > 0 ? sections : throw new FlagException("--only: name at least one section");
    }

    private static int Count(string name, long value, int minimum)
        => value >= minimum && value <= 1_000_000 ? (int)value : throw new FlagException($"--{name}: must be between {minimum} and 1000000");
}
