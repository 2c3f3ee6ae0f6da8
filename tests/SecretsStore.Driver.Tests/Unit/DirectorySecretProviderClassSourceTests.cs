using Microsoft.Extensions.Logging.Abstractions;
using SecretsStore.Driver.SecretProviderClasses;

namespace SecretsStore.Driver.Tests.Unit;

public sealed class DirectorySecretProviderClassSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spc-dir-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task GetAsync_FindsClassesByNamespaceAndName()
    {
        Write("a.yaml", Manifest("one", "ns1", "p1") + "---\n" + Manifest("two", null, "p2"));
        using var source = NewSource();
        Assert.Equal("p1", (await source.GetAsync("ns1", "one", default))?.Provider);
        Assert.Equal("p2", (await source.GetAsync("default", "two", default))?.Provider);
        Assert.Null(await source.GetAsync("ns2", "one", default));
    }

    [Fact]
    public async Task GetAsync_FindsAClassAddedAfterStart_WithoutWaitingForTheWatcher()
    {
        using var source = NewSource();
        Assert.Null(await source.GetAsync("default", "late", default));
        Write("late.yaml", Manifest("late", null, "p"));
        Assert.Equal("p", (await source.GetAsync("default", "late", default))?.Provider);
    }

    [Fact]
    public async Task GetAsync_FindsAClassWhoseFileWasScannedHalfWritten()
    {
        using var source = NewSource();
        Write("late.yaml", string.Empty);
        source.Reload(); // as a watcher event does between the file's creation and its content
        Write("late.yaml", Manifest("late", null, "p"));
        Assert.Equal("p", (await source.GetAsync("default", "late", default))?.Provider);
    }

    [Fact]
    public async Task Reload_InvalidEdit_KeepsTheClassesTheFileDefinedBefore_AndReportsTheError()
    {
        Write("a.yaml", Manifest("one", null, "good"));
        using var source = NewSource();

        Write("a.yaml", Manifest("one", null, "changed").Replace("kind: SecretProviderClass", "kind: Oops", StringComparison.Ordinal), bump: true);
        source.Reload();

        Assert.Equal("good", (await source.GetAsync("default", "one", default))?.Provider);
        var error = Assert.Single(source.Errors);
        Assert.EndsWith("a.yaml", error.Key, StringComparison.Ordinal);
        Assert.Contains("kind: \"Oops\" is not SecretProviderClass", error.Value, StringComparison.Ordinal);

        Write("a.yaml", Manifest("one", null, "fixed"), bump: true);
        source.Reload();
        Assert.Equal("fixed", (await source.GetAsync("default", "one", default))?.Provider);
        Assert.Empty(source.Errors);
    }

    [Fact]
    public async Task Reload_ABadNewFile_DoesNotAffectOthers_AndDeletedFilesDisappear()
    {
        Write("good.yaml", Manifest("one", null, "p"));
        Write("bad.yml", "::: not yaml [");
        using var source = NewSource();
        Assert.NotNull(await source.GetAsync("default", "one", default));
        Assert.Single(source.Errors);

        File.Delete(Path.Combine(_dir, "good.yaml"));
        source.Reload();
        Assert.Equal(0, source.Count);
    }

    [Fact]
    public async Task Reload_DuplicateName_FirstFileWins()
    {
        Write("a.yaml", Manifest("same", null, "first"));
        Write("b.yaml", Manifest("same", null, "second"));
        using var source = NewSource();
        Assert.Equal("first", (await source.GetAsync("default", "same", default))?.Provider);
    }

    [Fact]
    public async Task Watcher_PicksUpAnEdit()
    {
        Write("a.yaml", Manifest("one", null, "before"));
        using var source = new DirectorySecretProviderClassSource(_dir, NullLogger<DirectorySecretProviderClassSource>.Instance, watch: true);
        Write("a.yaml", Manifest("one", null, "after"), bump: true);
        for (var i = 0; i < 100 && (await source.GetAsync("default", "one", default))?.Provider != "after"; i++)
        {
            await Task.Delay(50);
        }
        Assert.Equal("after", (await source.GetAsync("default", "one", default))?.Provider);
    }

    private DirectorySecretProviderClassSource NewSource()
        => new(_dir, NullLogger<DirectorySecretProviderClassSource>.Instance, watch: false);

    private void Write(string name, string text, bool bump = false)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        if (bump)
        {
            // Same-second edits of same-size files must still be seen as changes.
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(Random.Shared.Next(1, 1000)));
        }
    }

    private static string Manifest(string name, string? ns, string provider) => $"""
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata:
          name: {name}
        {(ns is null ? "" : "  namespace: " + ns)}
        spec:
          provider: {provider}
          parameters:
            objects: "- objectName: a"

        """;
}
