using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Vault.Tests;

public sealed class KvTests : SandboxTestBase
{
    private string Root => Sandbox.RootToken;

    [Fact]
    public async Task Kv_v1_write_read_list_delete()
    {
        Sandbox.EnableKvV1("kv");

        var write = await Http.PostAsync("kv/app/config", new JsonObject { ["user"] = "svc", ["port"] = 5432 }, Root);
        Assert.Equal(204, write.Status);
        await Http.PutAsync("kv/app/other", new JsonObject { ["k"] = "v", ["ttl"] = "30m" }, Root);

        var read = await Http.GetAsync("kv/app/config", Root);
        Assert.Equal(200, read.Status);
        Assert.Equal("svc", read.Data["user"]!.GetValue<string>());
        Assert.Equal(5432, read.Data["port"]!.GetValue<int>());
        Assert.Equal(2764800, read.Json["lease_duration"]!.GetValue<long>());
        Assert.False(read.Json["renewable"]!.GetValue<bool>());
        Assert.Equal("kv", read.Json["mount_type"]!.GetValue<string>());

        Assert.Equal(1800, (await Http.GetAsync("kv/app/other", Root)).Json["lease_duration"]!.GetValue<long>());

        var list = await Http.ListAsync("kv/app", Root);
        Assert.Equal(["config", "other"], list.Data["keys"]!.AsArray().Select(k => k!.GetValue<string>()));
        var listQuery = await Http.GetAsync("kv/?list=true", Root);
        Assert.Equal(["app/"], listQuery.Data["keys"]!.AsArray().Select(k => k!.GetValue<string>()));

        Assert.Equal(204, (await Http.DeleteAsync("kv/app/config", Root)).Status);
        var missing = await Http.GetAsync("kv/app/config", Root);
        Assert.Equal(404, missing.Status);
        Assert.Empty(missing.Errors);
        Assert.Equal("{\"errors\":[]}", missing.Raw.Trim());

        var empty = await Http.PostAsync("kv/app/empty", new JsonObject(), Root);
        Assert.Equal(400, empty.Status);
        Assert.Equal(["missing data fields"], empty.Errors);
    }

    [Fact]
    public async Task Kv_v2_versions_and_version_selection()
    {
        var first = await Http.PostAsync("secret/data/app/db", new JsonObject { ["data"] = new JsonObject { ["password"] = "one" } }, Root);
        Assert.Equal(200, first.Status);
        Assert.Equal(1, first.Data["version"]!.GetValue<int>());
        Assert.Equal(string.Empty, first.Data["deletion_time"]!.GetValue<string>());
        Assert.False(first.Data["destroyed"]!.GetValue<bool>());

        Clock.Advance(TimeSpan.FromSeconds(5));
        var second = await Http.PostAsync("secret/data/app/db", new JsonObject { ["data"] = new JsonObject { ["password"] = "two" } }, Root);
        Assert.Equal(2, second.Data["version"]!.GetValue<int>());

        var latest = await Http.GetAsync("secret/data/app/db", Root);
        Assert.Equal(200, latest.Status);
        Assert.Equal("two", latest.Data["data"]!["password"]!.GetValue<string>());
        var meta = latest.Data["metadata"]!.AsObject();
        Assert.Equal(2, meta["version"]!.GetValue<int>());
        Assert.Equal("2025-06-01T12:00:05Z", meta["created_time"]!.GetValue<string>());
        Assert.Equal(string.Empty, meta["deletion_time"]!.GetValue<string>());
        Assert.Null(meta["custom_metadata"]);
        Assert.Equal(0, latest.Json["lease_duration"]!.GetValue<long>());

        var v1 = await Http.GetAsync("secret/data/app/db?version=1", Root);
        Assert.Equal("one", v1.Data["data"]!["password"]!.GetValue<string>());
        Assert.Equal(1, v1.Data["metadata"]!["version"]!.GetValue<int>());

        var v9 = await Http.GetAsync("secret/data/app/db?version=9", Root);
        Assert.Equal(404, v9.Status);
        Assert.Empty(v9.Errors);

        var metadata = await Http.GetAsync("secret/metadata/app/db", Root);
        Assert.Equal(2, metadata.Data["current_version"]!.GetValue<int>());
        Assert.Equal(1, metadata.Data["oldest_version"]!.GetValue<int>());
        Assert.Equal(["1", "2"], metadata.Data["versions"]!.AsObject().Select(p => p.Key));

        var missing = await Http.GetAsync("secret/data/app/nothing", Root);
        Assert.Equal(404, missing.Status);
        Assert.Empty(missing.Errors);
        Assert.Equal(404, (await Http.GetAsync("secret/metadata/app/nothing", Root)).Status);
    }

    [Fact]
    public async Task Kv_v2_deleted_version_is_404_with_metadata_and_can_be_undeleted()
    {
        Sandbox.WriteSecret("secret", "app/db", new Dictionary<string, string> { ["password"] = "one" });
        Sandbox.WriteSecret("secret", "app/db", new Dictionary<string, string> { ["password"] = "two" });

        Assert.Equal(204, (await Http.DeleteAsync("secret/data/app/db", Root)).Status);

        var deleted = await Http.GetAsync("secret/data/app/db", Root);
        Assert.Equal(404, deleted.Status);
        Assert.Null(deleted.Data["data"]);
        var meta = deleted.Data["metadata"]!.AsObject();
        Assert.Equal(2, meta["version"]!.GetValue<int>());
        Assert.NotEqual(string.Empty, meta["deletion_time"]!.GetValue<string>());
        Assert.False(meta["destroyed"]!.GetValue<bool>());

        Assert.Equal(200, (await Http.GetAsync("secret/data/app/db?version=1", Root)).Status);

        Assert.Equal(204, (await Http.PostAsync("secret/undelete/app/db", new JsonObject { ["versions"] = new JsonArray(2) }, Root)).Status);
        Assert.Equal("two", (await Http.GetAsync("secret/data/app/db", Root)).Data["data"]!["password"]!.GetValue<string>());

        Assert.Equal(204, (await Http.PutAsync("secret/destroy/app/db", new JsonObject { ["versions"] = new JsonArray(1) }, Root)).Status);
        var destroyed = await Http.GetAsync("secret/data/app/db?version=1", Root);
        Assert.Equal(404, destroyed.Status);
        Assert.True(destroyed.Data["metadata"]!["destroyed"]!.GetValue<bool>());

        Assert.Equal(204, (await Http.DeleteAsync("secret/metadata/app/db", Root)).Status);
        Assert.Equal(404, (await Http.GetAsync("secret/data/app/db", Root)).Status);
        Assert.Null(Sandbox.GetCurrentVersion("secret", "app/db"));
    }

    [Fact]
    public async Task Kv_v2_check_and_set_and_missing_data()
    {
        Sandbox.WriteSecret("secret", "app/db", new Dictionary<string, string> { ["password"] = "one" });

        var stale = await Http.PostAsync("secret/data/app/db", new JsonObject { ["options"] = new JsonObject { ["cas"] = 0 }, ["data"] = new JsonObject { ["password"] = "x" } }, Root);
        Assert.Equal(400, stale.Status);
        Assert.Equal(["check-and-set parameter did not match the current version"], stale.Errors);

        var ok = await Http.PostAsync("secret/data/app/db", new JsonObject { ["options"] = new JsonObject { ["cas"] = 1 }, ["data"] = new JsonObject { ["password"] = "x" } }, Root);
        Assert.Equal(2, ok.Data["version"]!.GetValue<int>());

        var noData = await Http.PostAsync("secret/data/app/db", new JsonObject { ["password"] = "x" }, Root);
        Assert.Equal(400, noData.Status);
        Assert.Equal(["no data provided"], noData.Errors);
    }

    [Fact]
    public async Task Kv_v2_without_data_prefix_is_404_with_the_cli_warning()
    {
        Sandbox.WriteSecret("secret", "app/db", new Dictionary<string, string> { ["password"] = "one" });

        var reply = await Http.GetAsync("secret/app/db", Root);
        Assert.Equal(404, reply.Status);
        Assert.Null(reply.Json["data"]);
        Assert.Contains("vault kv get", reply.Json["warnings"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Kv_v2_keeps_max_versions_and_lists_metadata()
    {
        Sandbox.EnableKvV2("small", maxVersions: 2);
        for (var i = 1; i <= 3; i++)
        {
            Sandbox.WriteSecret("small", "a/b", new Dictionary<string, string> { ["n"] = i.ToString() });
        }

        var metadata = await Http.GetAsync("small/metadata/a/b", Root);
        Assert.Equal(3, metadata.Data["current_version"]!.GetValue<int>());
        Assert.Equal(2, metadata.Data["oldest_version"]!.GetValue<int>());
        Assert.Equal(404, (await Http.GetAsync("small/data/a/b?version=1", Root)).Status);

        var list = await Http.ListAsync("small/metadata/", Root);
        Assert.Equal(["a/"], list.Data["keys"]!.AsArray().Select(k => k!.GetValue<string>()));
    }

    [Fact]
    public async Task Seeded_secrets_are_visible_over_http_and_http_writes_are_visible_to_inspection()
    {
        var version = Sandbox.WriteSecret("secret", "app/seeded", new JsonObject { ["nested"] = new JsonObject { ["a"] = 1 } });
        Assert.Equal(1, version);
        var read = await Http.GetAsync("secret/data/app/seeded", Root);
        Assert.Equal(1, read.Data["data"]!["nested"]!["a"]!.GetValue<int>());

        await Http.PostAsync("secret/data/app/fromhttp", new JsonObject { ["data"] = new JsonObject { ["k"] = "v" } }, Root);
        Assert.Equal("v", Sandbox.ReadSecret("secret", "app/fromhttp")!["k"]!.GetValue<string>());
    }
}
