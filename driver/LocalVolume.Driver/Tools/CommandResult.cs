namespace LocalVolume.Driver.Tools;

/// <summary>What an external tool answered.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;
}
