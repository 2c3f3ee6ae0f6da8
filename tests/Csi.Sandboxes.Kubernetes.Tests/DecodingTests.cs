using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Tests;

/// <summary>Quantities and times are decoded as kube-apiserver decodes them, not stored as sent.</summary>
public sealed class DecodingTests : SandboxTestBase
{
    private static string Volume(string name, string capacity) =>
        "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolume\",\"metadata\":{\"name\":\"" + name + "\"},"
        + "\"spec\":{\"capacity\":{\"storage\":" + capacity + "},\"accessModes\":[\"ReadWriteOnce\"],"
        + "\"csi\":{\"driver\":\"local.csi.example.com\",\"volumeHandle\":\"" + name + "\"}}}";

    private static string Lease(string renewTime) =>
        "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\"leader\"},"
        + "\"spec\":{\"holderIdentity\":\"a\",\"leaseDurationSeconds\":15,\"renewTime\":\"" + renewTime + "\"}}";

    [Theory]
    [InlineData("\"1024Mi\"", "1Gi")]
    [InlineData("\"1536Mi\"", "1536Mi")]
    [InlineData("\"2048Ki\"", "2Mi")]
    [InlineData("\"1.5Gi\"", "1536Mi")]
    [InlineData("\"0.5Gi\"", "512Mi")]
    [InlineData("\"1.5G\"", "1500M")]
    [InlineData("\"1000M\"", "1G")]
    [InlineData("\"2000\"", "2k")]
    [InlineData("\"1500\"", "1500")]
    [InlineData("\"0.1\"", "100m")]
    [InlineData("\"1e3\"", "1e3")]
    [InlineData("\"100Mi\"", "100Mi")]
    [InlineData("1073741824", "1073741824")]
    [InlineData("\"0.0000000001\"", "1n")]
    public async Task VolumeCapacity_IsWrittenBackCanonical(string sent, string stored)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/persistentvolumes", Volume("pv-1", sent));

        Assert.Equal(201, status);
        Assert.Equal(stored, body["spec"]!["capacity"]!["storage"]!.GetValue<string>());
        Assert.Equal(stored, JsonText(await SendAsync(HttpMethod.Get, "/api/v1/persistentvolumes/pv-1"), "spec", "capacity", "storage"));
    }

    [Theory]
    [InlineData("1GiB", "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")]
    [InlineData("1 Gi", "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")]
    [InlineData("1iG", "unable to parse quantity's suffix")]
    [InlineData("ten", "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")]
    public async Task VolumeCapacity_ThatIsNoQuantity_IsABadRequest(string sent, string why)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/persistentvolumes", Volume("pv-1", $"\"{sent}\""));

        Assert.Equal(400, status);
        Assert.Equal("BadRequest", body["reason"]!.GetValue<string>());
        Assert.Equal($"PersistentVolume in version \"v1\" cannot be handled as a PersistentVolume: {why}", body["message"]!.GetValue<string>());
        Assert.Equal(404, (await SendAsync(HttpMethod.Get, "/api/v1/persistentvolumes/pv-1")).Status);
    }

    [Fact]
    public async Task ClaimAndCapacityQuantities_AreCanonicalAcrossWrites()
    {
        var (created, claim) = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/persistentvolumeclaims", """
            {"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1024Mi"},"limits":{"storage":"2048Mi"}}}}
            """);
        var (patched, claimStatus) = await SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/persistentvolumeclaims/data/status",
            """{"status":{"phase":"Bound","capacity":{"storage":"3072Mi"}}}""", "application/merge-patch+json");
        var (capacityCreated, capacity) = await SendAsync(HttpMethod.Post, "/apis/storage.k8s.io/v1/namespaces/default/csistoragecapacities", """
            {"metadata":{"name":"cap"},"storageClassName":"local","capacity":"10240Mi","maximumVolumeSize":"1000000k"}
            """);

        Assert.Equal((201, 200, 201), (created, patched, capacityCreated));
        Assert.Equal("1Gi", JsonText((created, claim), "spec", "resources", "requests", "storage"));
        Assert.Equal("2Gi", JsonText((created, claim), "spec", "resources", "limits", "storage"));
        Assert.Equal("3Gi", JsonText((patched, claimStatus), "status", "capacity", "storage"));
        Assert.Equal("10Gi", capacity["capacity"]!.GetValue<string>());
        Assert.Equal("1G", capacity["maximumVolumeSize"]!.GetValue<string>());
    }

    [Fact]
    public async Task PatchThatLeavesABadQuantity_IsInvalidOnThePatchField()
    {
        Assert.Equal(201, (await SendAsync(HttpMethod.Post, "/api/v1/persistentvolumes", Volume("pv-1", "\"1Gi\""))).Status);

        var (status, body) = await SendAsync(HttpMethod.Patch, "/api/v1/persistentvolumes/pv-1",
            """{"spec":{"capacity":{"storage":"1GiB"}}}""", "application/merge-patch+json");

        Assert.Equal(422, status);
        Assert.Equal("patch", body["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        Assert.Equal("1Gi", JsonText(await SendAsync(HttpMethod.Get, "/api/v1/persistentvolumes/pv-1"), "spec", "capacity", "storage"));
    }

    [Fact]
    public async Task PodResources_AreCanonical()
    {
        var (status, pod) = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods", """
            {"metadata":{"name":"web"},"spec":{"containers":[{"name":"app","image":"app:1","resources":{"requests":{"cpu":"0.5","memory":"1024Mi"},"limits":{"memory":"1Gi"}}}]}}
            """);

        Assert.Equal(201, status);
        var resources = pod["spec"]!["containers"]![0]!["resources"]!;
        Assert.Equal("500m", resources["requests"]!["cpu"]!.GetValue<string>());
        Assert.Equal("1Gi", resources["requests"]!["memory"]!.GetValue<string>());
        Assert.Equal("1Gi", resources["limits"]!["memory"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("2026-01-02T03:04:05.123456Z", "2026-01-02T03:04:05.123456Z")]
    [InlineData("2026-01-02T05:04:05.123456+02:00", "2026-01-02T03:04:05.123456Z")]
    public async Task LeaseRenewTime_WithSixFractionalDigits_IsStoredInUtc(string sent, string stored)
    {
        var (status, lease) = await SendAsync(HttpMethod.Post, "/apis/coordination.k8s.io/v1/namespaces/default/leases", Lease(sent));

        Assert.Equal(201, status);
        Assert.Equal(stored, lease["spec"]!["renewTime"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("2026-01-02T03:04:05.123Z", "parsing time \"2026-01-02T03:04:05.123Z\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \".123Z\" as \".000000\"")]
    [InlineData("2026-01-02T03:04:05.1234567Z", "parsing time \"2026-01-02T03:04:05.1234567Z\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"7Z\" as \"Z07:00\"")]
    [InlineData("2026-01-02T03:04:05Z", "parsing time \"2026-01-02T03:04:05Z\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"Z\" as \".000000\"")]
    [InlineData("yesterday", "parsing time \"yesterday\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"yesterday\" as \"2006\"")]
    [InlineData("2026-02-30T03:04:05.000000Z", "parsing time \"2026-02-30T03:04:05.000000Z\": day out of range")]
    public async Task LeaseRenewTime_ThatIsNoMicroTime_IsABadRequest(string sent, string why)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/apis/coordination.k8s.io/v1/namespaces/default/leases", Lease(sent));

        Assert.Equal(400, status);
        Assert.Equal($"Lease in version \"v1\" cannot be handled as a Lease: {why}", body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task EventTimes_AreMicroTimeAndTime()
    {
        var (status, created) = await SendAsync(HttpMethod.Post, "/apis/events.k8s.io/v1/namespaces/default/events", """
            {"metadata":{"name":"e1"},"eventTime":"2026-01-02T03:04:05.000001+01:00","reportingController":"c","reportingInstance":"i","action":"A","reason":"R",
             "regarding":{"kind":"Pod","name":"web","namespace":"default"},"deprecatedFirstTimestamp":"2026-01-02T03:04:05.999Z"}
            """);
        var (badStatus, bad) = await SendAsync(HttpMethod.Post, "/apis/events.k8s.io/v1/namespaces/default/events", """
            {"metadata":{"name":"e2"},"eventTime":"2026-01-02T03:04:05.0000001Z","reportingController":"c","reportingInstance":"i","action":"A","reason":"R"}
            """);
        var (coreStatus, core) = await SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/events/e1");

        Assert.Equal((201, 400, 200), (status, badStatus, coreStatus));
        Assert.Equal("2026-01-02T02:04:05.000001Z", created["eventTime"]!.GetValue<string>());
        Assert.Equal("2026-01-02T03:04:05Z", created["deprecatedFirstTimestamp"]!.GetValue<string>());
        Assert.Equal("2026-01-02T03:04:05Z", core["firstTimestamp"]!.GetValue<string>());
        Assert.StartsWith("Event in version \"v1\" cannot be handled as a Event: parsing time", bad["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static string? JsonText((int Status, JsonObject Body) response, params string[] path)
    {
        JsonNode? node = response.Body;
        foreach (var p in path)
        {
            node = node?[p];
        }

        return node?.GetValue<string>();
    }
}
