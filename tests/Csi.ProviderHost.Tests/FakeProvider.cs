using Csi.Common.Flags;

namespace Csi.ProviderHost.Tests;

/// <summary>A provider whose Mount is whatever the test sets.</summary>
internal sealed class FakeProvider : SecretsProvider
{
    public Func<MountContext, CancellationToken, Task<MountResult>> OnMount { get; set; } =
        (_, _) => Task.FromResult(new MountResult([new ProviderFile("a", "1"u8.ToArray(), 420)], [new ProviderObjectVersion("secret/a", "1")]));

    public List<MountContext> Contexts { get; } = [];

    public string Region { get; private set; } = string.Empty;

    public override string Name => "fake";

    public override void DefineFlags(FlagSet flags, ProviderHostOptions host)
    {
        ArgumentNullException.ThrowIfNull(flags);
        flags.AddString("region", "eu", "a provider flag", v => Region = v);
    }

    public override void ValidateFlags()
    {
        if (Region == "mars")
        {
            throw new FlagException("--region: mars is not a region");
        }
    }

    public override Task<MountResult> MountAsync(MountContext context, CancellationToken cancellationToken)
    {
        lock (Contexts)
        {
            Contexts.Add(context);
        }
        return OnMount(context, cancellationToken);
    }
}
