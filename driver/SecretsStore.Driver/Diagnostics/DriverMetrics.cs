using Csi.Common.Metrics;

namespace SecretsStore.Driver.Diagnostics;

/// <summary>The driver's metrics, named and labelled as upstream's so dashboards keep working.</summary>
public sealed class DriverMetrics
{
    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <param name="registry">Where the metrics are registered.</param>
    /// <param name="osType">The os_type label; null takes this machine's (<see cref="NodePlatform.OsType"/>).</param>
    public DriverMetrics(MetricsRegistry registry, string? osType = null)
    {
        Registry = registry;
        OsType = osType ?? NodePlatform.Current.OsType;
        NodePublish = registry.Counter("node_publish_total", "Successful NodePublishVolume calls.", "provider", "os_type");
        NodeUnpublish = registry.Counter("node_unpublish_total", "Successful NodeUnpublishVolume calls.", "os_type");
        NodePublishError = registry.Counter("node_publish_error_total", "Failed NodePublishVolume calls.", "provider", "error_type", "os_type");
        NodeUnpublishError = registry.Counter("node_unpublish_error_total", "Failed NodeUnpublishVolume calls.", "os_type");
        NodePublishDuration = registry.Histogram("node_publish_duration_seconds", "Time spent in NodePublishVolume.", DurationBuckets, "provider", "os_type");
        RotationReconcile = registry.Counter("rotation_reconcile_total", "Rotation checks of mounted volumes that fetched from the provider.", "provider", "os_type", "rotated");
        RotationReconcileError = registry.Counter("rotation_reconcile_error_total", "Rotation checks that failed.", "provider", "os_type", "error_type");
        RotationReconcileDuration = registry.Histogram("rotation_reconcile_duration_sec", "Time spent rotating one volume.", DurationBuckets, "os_type");
        SyncK8sSecret = registry.Counter("sync_k8s_secret_total", "Kubernetes Secrets written from spec.secretObjects.", "provider", "os_type");
        SyncK8sSecretDuration = registry.Histogram("k8s_secret_duration_sec", "Time spent writing one synced Kubernetes Secret.", DurationBuckets, "os_type");
    }

    public MetricsRegistry Registry { get; }

    /// <summary>The os_type label every metric carries: linux or windows, as upstream's.</summary>
    public string OsType { get; }

    public Counter NodePublish { get; }

    public Counter NodeUnpublish { get; }

    public Counter NodePublishError { get; }

    public Counter NodeUnpublishError { get; }

    public Histogram NodePublishDuration { get; }

    public Counter RotationReconcile { get; }

    public Counter RotationReconcileError { get; }

    public Histogram RotationReconcileDuration { get; }

    public Counter SyncK8sSecret { get; }

    public Histogram SyncK8sSecretDuration { get; }
}
