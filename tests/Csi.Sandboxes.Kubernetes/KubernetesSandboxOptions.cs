using System.Net;
using System.Security.Cryptography.X509Certificates;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Kubernetes;

/// <summary>How a <see cref="KubernetesSandbox"/> listens, authenticates and behaves.</summary>
public sealed class KubernetesSandboxOptions
{
    /// <summary>The address to bind; loopback by default.</summary>
    public IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

    /// <summary>The port; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Serve HTTPS with a certificate issued by an in-memory cluster CA (<see cref="KubernetesSandbox.CertificateAuthority"/>).</summary>
    public bool UseTls { get; set; }

    /// <summary>A server certificate (with key) to use instead of the generated one; implies <see cref="UseTls"/>.</summary>
    public X509Certificate2? TlsCertificate { get; set; }

    /// <summary>The bearer token every request must carry; a random one when null.</summary>
    public string? Token { get; set; }

    /// <summary>The user <see cref="Token"/> authenticates as (appears in the request log and in Forbidden messages).</summary>
    public string UserName { get; set; } = "kubernetes-admin";

    /// <summary>
    /// Signs TokenRequest tokens and authenticates service-account JWTs whose audience is its issuer. A private one
    /// is created when null.
    /// </summary>
    public ServiceAccountTokenIssuer? TokenIssuer { get; set; }

    /// <summary>Events kept per resource for watches and consistent lists (the watch cache); older versions get 410.</summary>
    public int WatchCacheSize { get; set; } = 1000;

    /// <summary>How often watches that allow bookmarks get a BOOKMARK (the API server: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Upper bound on a watch's life when the client sets no <c>timeoutSeconds</c>; null keeps it open.</summary>
    public TimeSpan? DefaultWatchTimeout { get; set; }

    /// <summary>Run the garbage collector and namespace controller (on by default).</summary>
    public bool EnableGarbageCollector { get; set; } = true;

    /// <summary>
    /// Emulate the controllers a cluster runs for volumes (off by default; an emulation, not their algorithms):
    /// kube-controller-manager's PV controller names the provisioner of a claim's StorageClass in the
    /// <c>volume.kubernetes.io/storage-provisioner</c> annotations, binds a PersistentVolume whose <c>claimRef</c> names
    /// a claim (or the volume a claim names) and marks both Bound, marks free volumes Available and volumes whose claim
    /// is gone Released; the pv/pvc-protection controllers drop the protection finalizer once nothing uses the object;
    /// the scheduler sets <c>volume.kubernetes.io/selected-node</c> on the WaitForFirstConsumer claims of a pod with
    /// <c>spec.nodeName</c> (or <see cref="SchedulerNodeName"/>). Changes happen in the background, after the write that
    /// causes them: wait with <see cref="KubernetesSandbox.WaitForControllersAsync"/> or a watch.
    /// </summary>
    public bool EmulateVolumeControllers { get; set; }

    /// <summary>With <see cref="EmulateVolumeControllers"/>: the node the emulated scheduler selects for claims of pods without <c>spec.nodeName</c>.</summary>
    public string? SchedulerNodeName { get; set; }

    /// <summary>Reject creates in namespaces that do not exist or are terminating, as NamespaceLifecycle admission does.</summary>
    public bool RequireNamespaces { get; set; } = true;

    /// <summary>The first resourceVersion handed out is one more than this.</summary>
    public ulong InitialResourceVersion { get; set; } = 1000;

    /// <summary>The version <c>/version</c> reports.</summary>
    public string KubernetesVersion { get; set; } = "v1.34.1";

    /// <summary>Clock for creation and deletion timestamps and the request log.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>When set, one line per request (verb, path, user, status; never bodies or tokens).</summary>
    public TextWriter? RequestLogWriter { get; set; }
}
