using MetricsProbe;
using Prometheus;

var registry = Metrics.NewCustomRegistry();
var factory = Metrics.WithCustomRegistry(registry);
CounterConfiguration Labels(params string[] names) => new() { LabelNames = names };
HistogramConfiguration Timed(params string[] names) => new() { LabelNames = names, Buckets = Workload.Buckets };
var publish = factory.CreateCounter("node_publish_total", "Successful NodePublishVolume calls.", Labels("provider", "os_type"));
var unpublish = factory.CreateCounter("node_unpublish_total", "Successful NodeUnpublishVolume calls.", Labels("os_type"));
var publishError = factory.CreateCounter("node_publish_error_total", "Failed NodePublishVolume calls.", Labels("provider", "error_type", "os_type"));
var unpublishError = factory.CreateCounter("node_unpublish_error_total", "Failed NodeUnpublishVolume calls.", Labels("os_type"));
var publishDuration = factory.CreateHistogram("node_publish_duration_seconds", "Time spent in NodePublishVolume.", Timed("provider", "os_type"));
var rotation = factory.CreateCounter("rotation_reconcile_total", "Rotation checks of mounted volumes that fetched from the provider.", Labels("provider", "os_type", "rotated"));
var rotationError = factory.CreateCounter("rotation_reconcile_error_total", "Rotation checks that failed.", Labels("provider", "os_type", "error_type"));
var rotationDuration = factory.CreateHistogram("rotation_reconcile_duration_sec", "Time spent rotating one volume.", Timed("os_type"));
var sync = factory.CreateCounter("sync_k8s_secret_total", "Kubernetes Secrets written from spec.secretObjects.", Labels("provider", "os_type"));
var syncDuration = factory.CreateHistogram("k8s_secret_duration_sec", "Time spent writing one synced Kubernetes Secret.", Timed("os_type"));

Workload.Run(
    i =>
    {
        var provider = Workload.Providers[i % 3];
        var error = Workload.ErrorTypes[i % 5];
        var duration = Workload.Duration(i);
        publish.WithLabels(provider, "linux").Inc();
        unpublish.WithLabels("linux").Inc();
        publishError.WithLabels(provider, error, "linux").Inc();
        unpublishError.WithLabels("linux").Inc();
        publishDuration.WithLabels(provider, "linux").Observe(duration);
        rotation.WithLabels(provider, "linux", i % 2 == 0 ? "true" : "false").Inc();
        rotationError.WithLabels(provider, "linux", error).Inc();
        rotationDuration.WithLabels("linux").Observe(duration);
        sync.WithLabels(provider, "linux").Inc();
        syncDuration.WithLabels("linux").Observe(duration);
    },
    stream => registry.CollectAndExportAsTextAsync(stream),
    int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture));
