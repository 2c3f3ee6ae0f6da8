using Csi.Common.Metrics;
using MetricsProbe;

var registry = new MetricsRegistry();
var publish = registry.Counter("node_publish_total", "Successful NodePublishVolume calls.", "provider", "os_type");
var unpublish = registry.Counter("node_unpublish_total", "Successful NodeUnpublishVolume calls.", "os_type");
var publishError = registry.Counter("node_publish_error_total", "Failed NodePublishVolume calls.", "provider", "error_type", "os_type");
var unpublishError = registry.Counter("node_unpublish_error_total", "Failed NodeUnpublishVolume calls.", "os_type");
var publishDuration = registry.Histogram("node_publish_duration_seconds", "Time spent in NodePublishVolume.", Workload.Buckets, "provider", "os_type");
var rotation = registry.Counter("rotation_reconcile_total", "Rotation checks of mounted volumes that fetched from the provider.", "provider", "os_type", "rotated");
var rotationError = registry.Counter("rotation_reconcile_error_total", "Rotation checks that failed.", "provider", "os_type", "error_type");
var rotationDuration = registry.Histogram("rotation_reconcile_duration_sec", "Time spent rotating one volume.", Workload.Buckets, "os_type");
var sync = registry.Counter("sync_k8s_secret_total", "Kubernetes Secrets written from spec.secretObjects.", "provider", "os_type");
var syncDuration = registry.Histogram("k8s_secret_duration_sec", "Time spent writing one synced Kubernetes Secret.", Workload.Buckets, "os_type");

Workload.Run(
    i =>
    {
        var provider = Workload.Providers[i % 3];
        var error = Workload.ErrorTypes[i % 5];
        var duration = Workload.Duration(i);
        publish.Inc(provider, "linux");
        unpublish.Inc("linux");
        publishError.Inc(provider, error, "linux");
        unpublishError.Inc("linux");
        publishDuration.Observe(duration, provider, "linux");
        rotation.Inc(provider, "linux", i % 2 == 0 ? "true" : "false");
        rotationError.Inc(provider, "linux", error);
        rotationDuration.Observe(duration, "linux");
        sync.Inc(provider, "linux");
        syncDuration.Observe(duration, "linux");
    },
    // What the /metrics endpoint does.
    stream => registry.WriteToAsync(stream),
    int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture));
