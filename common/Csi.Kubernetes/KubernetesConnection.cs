using System.Security.Cryptography.X509Certificates;

namespace Csi.Kubernetes;

/// <summary>Where the API server is and how to authenticate to it: in-cluster service account, or a kubeconfig.</summary>
public sealed class KubernetesConnection
{
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public KubernetesConnection(Uri server, string description)
    {
        Server = server;
        Description = description;
    }

    public Uri Server { get; }

    /// <summary>For the start-up log line: "in-cluster" or the kubeconfig file and context.</summary>
    public string Description { get; }

    /// <summary>The CAs to trust for the server certificate; empty means the system store.</summary>
    public X509Certificate2Collection CertificateAuthorities { get; } = [];

    public bool InsecureSkipTlsVerify { get; init; }

    public BearerToken? Token { get; init; }

    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>True inside a pod: the service host and port are in the environment and the token file exists.</summary>
    public static bool IsInCluster(string serviceAccountDirectory = ServiceAccountDirectory)
        => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"))
           && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT"))
           && File.Exists(Path.Combine(serviceAccountDirectory, "token"));

    /// <summary>The pod's own service account: token (re-read as kubelet rotates it) and cluster CA.</summary>
    public static KubernetesConnection InCluster(string serviceAccountDirectory = ServiceAccountDirectory)
    {
        var host = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
        var port = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeconfigException("not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set");
        }
        if (host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('['))
        {
            host = "[" + host + "]";
        }
        var connection = new KubernetesConnection(new Uri($"https://{host}:{port}"), "in-cluster service account")
        {
            Token = BearerToken.FromFile(Path.Combine(serviceAccountDirectory, "token"), TimeProvider.System),
        };
        var ca = Path.Combine(serviceAccountDirectory, "ca.crt");
        if (File.Exists(ca))
        {
            connection.CertificateAuthorities.ImportFromPemFile(ca);
        }
        return connection;
    }

    /// <summary>The current context of a kubeconfig file.</summary>
    public static KubernetesConnection FromKubeconfig(string path) => KubeconfigReader.Read(path);
}
