using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using k8s;
using k8s.Models;

if (args.Length != 2)
{
    await Console.Error.WriteLineAsync("usage: kube-client-probe-kubernetesclient <kubeconfig> <ready-file>");
    return 2;
}

using var stop = new CancellationTokenSource();
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(args[0]);
using var client = new Kubernetes(config);
var cache = new ConcurrentDictionary<string, V1PersistentVolumeClaim>(StringComparer.Ordinal);
string? resourceVersion = null;
string? next = null;
do
{
    var page = await client.CoreV1.ListPersistentVolumeClaimForAllNamespacesAsync(continueParameter: next, limit: 500, cancellationToken: stop.Token);
    foreach (var claim in page.Items)
    {
        cache[claim.Metadata.NamespaceProperty + "/" + claim.Metadata.Name] = claim;
    }
    resourceVersion = page.Metadata.ResourceVersion;
    next = page.Metadata.ContinueProperty;
}
while (!string.IsNullOrEmpty(next));

// KubernetesClient.Aot has no watch support (no Watcher, no WatchAsync): stream the watch over the client's own
// HttpClient (its TLS set-up) and decode each line with the client's own serializer, as a user of it must.
await File.WriteAllTextAsync(args[1], cache.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
try
{
    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(config.Host.TrimEnd('/') + "/"), $"api/v1/persistentvolumeclaims?watch=true&allowWatchBookmarks=true&resourceVersion={resourceVersion}"));
    request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", config.AccessToken);
    using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
    response.EnsureSuccessStatusCode();
    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
    while (await reader.ReadLineAsync(stop.Token) is { } line)
    {
        var change = KubernetesJson.Deserialize<V1WatchEvent>(line);
        if (change.Type is "BOOKMARK" or "ERROR" || change.ObjectProperty is not System.Text.Json.JsonElement item)
        {
            continue;
        }
        var claim = KubernetesJson.Deserialize<V1PersistentVolumeClaim>(item.GetRawText());
        var key = claim.Metadata.NamespaceProperty + "/" + claim.Metadata.Name;
        if (change.Type == "DELETED")
        {
            cache.TryRemove(key, out _);
        }
        else
        {
            cache[key] = claim;
        }
    }
}
catch (OperationCanceledException)
{
    // SIGTERM
}
return 0;
