namespace Csi.Kubernetes;

/// <summary>A kubeconfig or in-cluster configuration the driver cannot use; the message names the file and field.</summary>
public sealed class KubeconfigException : Exception
{
    public KubeconfigException(string message)
        : base(message)
    {
    }

    public KubeconfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubeconfigException()
    {
    }
}
