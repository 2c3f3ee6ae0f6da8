using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;

namespace Csi.Sandboxes.Kubernetes;

/// <summary>What clients connect with: a client configuration, a kubeconfig, and the bearer tokens the sandbox accepts.</summary>
public sealed partial class KubernetesSandbox
{
    /// <summary>
    /// A configuration for a real <see cref="k8s.Kubernetes"/> client: host, bearer token (this sandbox's unless
    /// <paramref name="token"/> is given; pass an empty string for none), the CA to trust, namespace <c>default</c>.
    /// </summary>
    public KubernetesClientConfiguration ClientConfiguration(string? token = null)
    {
        var config = new KubernetesClientConfiguration
        {
            Host = Address.ToString().TrimEnd('/'),
            AccessToken = token ?? Token,
            Namespace = "default",
        };
        if (string.IsNullOrEmpty(config.AccessToken))
        {
            config.AccessToken = null;
        }

        if (_server?.ServerCertificate is { } serving)
        {
            config.SslCaCerts = [X509CertificateLoader.LoadCertificate((_authority ?? serving).RawData)];
        }

        return config;
    }

    /// <summary>A kubeconfig document (YAML) for kubectl-like tools, with the CA inlined.</summary>
    public string Kubeconfig(string? token = null)
    {
        var sb = new StringBuilder();
        sb.Append("apiVersion: v1\nkind: Config\nclusters:\n- name: sandbox\n  cluster:\n    server: ").Append(Address.ToString().TrimEnd('/')).Append('\n');
        if (_server?.ServerCertificate is { } serving)
        {
            var pem = (_authority ?? serving).ExportCertificatePem();
            sb.Append("    certificate-authority-data: ").Append(Convert.ToBase64String(Encoding.ASCII.GetBytes(pem))).Append('\n');
        }

        sb.Append("contexts:\n- name: sandbox\n  context:\n    cluster: sandbox\n    user: sandbox\n    namespace: default\ncurrent-context: sandbox\n");
        sb.Append("users:\n- name: sandbox\n  user:\n    token: ").Append(token ?? Token).Append('\n');
        return sb.ToString();
    }

    /// <summary>Writes <see cref="Kubeconfig"/> to a file named kubeconfig in <paramref name="directory"/> and returns its path.</summary>
    public string WriteKubeconfig(string directory)
    {
        var path = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(path, Kubeconfig());
        return path;
    }

    /// <summary>Accepts another bearer token, authenticating as <paramref name="userName"/>.</summary>
    public void AddToken(string token, string userName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        lock (_tokenGate)
        {
            _tokens[token] = userName;
        }
    }

    /// <summary>Stops accepting a token (requests with it get 401).</summary>
    public void RevokeToken(string token)
    {
        lock (_tokenGate)
        {
            _tokens.Remove(token);
        }
    }

    private string? FindUser(string token)
    {
        lock (_tokenGate)
        {
            return _tokens.GetValueOrDefault(token);
        }
    }
}
