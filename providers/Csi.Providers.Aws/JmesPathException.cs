namespace Csi.Providers.Aws;

/// <summary>A jmesPath entry that cannot be applied to an object's value; the message names the path, never the value.</summary>
internal sealed class JmesPathException : Exception
{
    public JmesPathException()
    {
    }

    public JmesPathException(string message)
        : base(message)
    {
    }

    public JmesPathException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
