namespace Csi.Providers.Aws;

/// <summary>Wraps a failure with the step that failed (describe or fetch), for the mount error.</summary>
internal sealed class RegionalFailure : Exception
{
    public RegionalFailure()
    {
        Step = string.Empty;
    }

    public RegionalFailure(string message)
        : base(message)
    {
        Step = string.Empty;
    }

    public RegionalFailure(string step, Exception innerException)
        : base(step, innerException)
    {
        Step = step;
    }

    public string Step { get; }
}
