using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Csi.Kubernetes;

/// <summary>
/// Reads the current context of a kubeconfig: server, CA (file or data, or insecure-skip-tls-verify), and a
/// bearer token (token or tokenFile) or a client certificate (file or data). exec and auth-provider plugins are
/// refused with a message: the driver runs them nowhere.
/// </summary>
internal static class KubeconfigReader
{
    public static KubernetesConnection Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeconfigException($"kubeconfig {path}: cannot read it: {e.Message}", e);
        }
        return Parse(text, path);
    }

    public static KubernetesConnection Parse(string text, string path)
    {
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new KubeconfigException($"kubeconfig {path}: not valid YAML at line {e.Start.Line}: {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new KubeconfigException($"kubeconfig {path}: empty");
        }

        var contextName = Scalar(root, "current-context");
        if (string.IsNullOrEmpty(contextName))
        {
            throw new KubeconfigException($"kubeconfig {path}: current-context is not set");
        }
        var context = Named(root, "contexts", contextName, "context", path);
        var clusterName = Scalar(context, "cluster") ?? throw new KubeconfigException($"kubeconfig {path}: context {contextName} names no cluster");
        var cluster = Named(root, "clusters", clusterName, "cluster", path);
        var userName = Scalar(context, "user");
        var user = string.IsNullOrEmpty(userName) ? null : Named(root, "users", userName, "user", path);

        var server = Scalar(cluster, "server");
        if (string.IsNullOrEmpty(server) || !Uri.TryCreate(server, UriKind.Absolute, out var serverUri) || serverUri.Scheme is not ("https" or "http"))
        {
            throw new KubeconfigException($"kubeconfig {path}: cluster {clusterName}: server \"{server}\" is not an http(s) URL");
        }

        BearerToken? token = null;
        X509Certificate2? clientCertificate = null;
        if (user is not null)
        {
            if (user.Children.ContainsKey(new YamlScalarNode("exec")) || user.Children.ContainsKey(new YamlScalarNode("auth-provider")))
            {
                throw new KubeconfigException($"kubeconfig {path}: user {userName} uses an exec or auth-provider plugin; give the driver a token, tokenFile or client certificate");
            }
            if (Scalar(user, "token") is { Length: > 0 } fixedToken)
            {
                token = BearerToken.Fixed(fixedToken);
            }
            else if (Scalar(user, "tokenFile") is { Length: > 0 } tokenFile)
            {
                token = BearerToken.FromFile(Resolve(baseDirectory, tokenFile), TimeProvider.System);
            }
            var certPem = Data(user, "client-certificate", baseDirectory, path);
            var keyPem = Data(user, "client-key", baseDirectory, path);
            if (certPem is not null || keyPem is not null)
            {
                if (certPem is null || keyPem is null)
                {
                    throw new KubeconfigException($"kubeconfig {path}: user {userName}: a client certificate needs both client-certificate and client-key");
                }
                try
                {
                    clientCertificate = WithKey(X509Certificate2.CreateFromPem(certPem), keyPem);
                }
                catch (CryptographicException e)
                {
                    throw new KubeconfigException($"kubeconfig {path}: user {userName}: the client certificate or key is not valid PEM: {e.Message}", e);
                }
            }
        }

        var connection = new KubernetesConnection(serverUri, $"kubeconfig {path}, context {contextName}")
        {
            InsecureSkipTlsVerify = string.Equals(Scalar(cluster, "insecure-skip-tls-verify"), "true", StringComparison.OrdinalIgnoreCase),
            Token = token,
            ClientCertificate = clientCertificate,
        };
        if (Data(cluster, "certificate-authority", baseDirectory, path) is { } caPem)
        {
            try
            {
                connection.CertificateAuthorities.ImportFromPem(caPem);
            }
            catch (CryptographicException e)
            {
                throw new KubeconfigException($"kubeconfig {path}: cluster {clusterName}: certificate-authority is not valid PEM: {e.Message}", e);
            }
        }
        return connection;
    }

    /// <summary>
    /// The key types kubeconfigs carry (RSA, EC; PKCS#1, SEC1 or PKCS#8). Handled here rather than by
    /// CreateFromPem(cert, key), which would link every key algorithm .NET knows into the AOT binary.
    /// </summary>
    private static X509Certificate2 WithKey(X509Certificate2 certificate, string keyPem)
    {
        using (certificate)
        {
            if (certificate.GetKeyAlgorithm() == "1.2.840.10045.2.1")
            {
                using var ec = ECDsa.Create();
                ec.ImportFromPem(keyPem);
                return certificate.CopyWithPrivateKey(ec);
            }
            using var rsa = RSA.Create();
            rsa.ImportFromPem(keyPem);
            return certificate.CopyWithPrivateKey(rsa);
        }
    }

    /// <summary>A PEM given as <c>&lt;field&gt;-data</c> (base64) or as a file named by <c>&lt;field&gt;</c>.</summary>
    private static string? Data(YamlMappingNode map, string field, string baseDirectory, string path)
    {
        if (Scalar(map, field + "-data") is { Length: > 0 } data)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException e)
            {
                throw new KubeconfigException($"kubeconfig {path}: {field}-data is not base64", e);
            }
        }
        if (Scalar(map, field) is { Length: > 0 } file)
        {
            var resolved = Resolve(baseDirectory, file);
            try
            {
                return File.ReadAllText(resolved);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new KubeconfigException($"kubeconfig {path}: {field} {resolved}: {e.Message}", e);
            }
        }
        return null;
    }

    private static string Resolve(string baseDirectory, string file) => Path.IsPathRooted(file) ? file : Path.Combine(baseDirectory, file);

    private static YamlMappingNode Named(YamlMappingNode root, string listKey, string name, string innerKey, string path)
    {
        if (root.Children.TryGetValue(new YamlScalarNode(listKey), out var list) && list is YamlSequenceNode sequence)
        {
            foreach (var entry in sequence.Children.OfType<YamlMappingNode>())
            {
                if (Scalar(entry, "name") == name)
                {
                    return entry.Children.TryGetValue(new YamlScalarNode(innerKey), out var inner) && inner is YamlMappingNode map
                        ? map
                        : new YamlMappingNode();
                }
            }
        }
        throw new KubeconfigException($"kubeconfig {path}: {listKey} has no entry named {name}");
    }

    private static string? Scalar(YamlMappingNode map, string key)
        => map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;
}
