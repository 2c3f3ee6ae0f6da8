namespace LocalVolume.Driver.Volumes;

/// <summary>A refused or failed volume operation; the message names the field or the step.</summary>
public sealed class VolumeException : Exception
{
    public VolumeException(VolumeErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public VolumeException(VolumeErrorKind kind, string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public VolumeException()
    {
    }

    public VolumeException(string message)
        : base(message)
    {
    }

    public VolumeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public VolumeErrorKind Kind { get; } = VolumeErrorKind.Internal;
}
