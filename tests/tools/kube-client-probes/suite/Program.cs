using System.Runtime.InteropServices;
using Csi.Common.RateLimiting;
using Csi.Kubernetes;
using Csi.Kubernetes.Informers;
using Csi.Provisioner;
using Csi.Provisioner.Models;
using Microsoft.Extensions.Logging.Abstractions;

if (args.Length != 2)
{
    await Console.Error.WriteLineAsync("usage: kube-client-probe-suite <kubeconfig> <ready-file>");
    return 2;
}

using var stop = new CancellationTokenSource();
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

using var client = new KubernetesApiClient(KubernetesConnection.FromKubeconfig(args[0]), new TokenBucket(1000, 1000, TimeProvider.System), "kube-client-probe-suite/0");
await using var claims = new Informer<PersistentVolumeClaim>(
    client,
    ApiResource.PersistentVolumeClaims,
    new InformerOptions(),
    ProvisionerJsonContext.Default.PersistentVolumeClaim,
    ProvisionerJsonContext.Default.ResourceListPersistentVolumeClaim,
    NullLogger.Instance,
    TimeProvider.System);
claims.Start();
await claims.WaitForSyncAsync(stop.Token);
await File.WriteAllTextAsync(args[1], claims.List().Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // SIGTERM
}
return 0;
