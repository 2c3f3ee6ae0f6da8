namespace Csi.Common.Flags;

/// <summary>A command line the binary cannot run with; the message names the flag and the fix.</summary>
public sealed class FlagException : Exception
{
    public FlagException(string message)
        : base(message)
    {
    }

    public FlagException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FlagException()
    {
    }
}
