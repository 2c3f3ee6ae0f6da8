namespace Csi.Sandboxes.Kubernetes.Tests;

/// <summary>A TLS sandbox and a kubeconfig file for clients nobody here wrote (kubectl, @kubernetes/client-node).</summary>
public abstract class ClientTestBase : SandboxTestBase
{
    private DirectoryInfo? _home;
    private string? _kubeconfig;

    protected string KubeconfigPath => _kubeconfig ?? throw new InvalidOperationException("not started");

    protected override KubernetesSandboxOptions CreateOptions() => new() { UseTls = true };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _home = Directory.CreateTempSubdirectory("kube-client-");
        _kubeconfig = Sandbox.WriteKubeconfig(_home.FullName);
    }

    protected Task<(int ExitCode, string Stdout, string Stderr)> KubectlAsync(string args, string? stdin = null) =>
        KubeTools.RunAsync(KubeTools.Kubectl, args.Split(' ', StringSplitOptions.RemoveEmptyEntries), KubeconfigPath, stdin);

    protected async Task<string> KubectlOkAsync(string args, string? stdin = null)
    {
        var (code, stdout, stderr) = await KubectlAsync(args, stdin);
        Assert.True(code == 0, $"kubectl {args} exited {code}: {stderr}");
        return stdout;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _home?.Delete(recursive: true);
    }
}
