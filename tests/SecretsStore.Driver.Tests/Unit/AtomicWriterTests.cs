using System.Text;
using Csi.Testing;
using SecretsStore.Driver.Files;

namespace SecretsStore.Driver.Tests.Unit;

public sealed class AtomicWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("atomic-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Write_First_CreatesPayloadDirDataLinkAndUserLinks()
    {
        var result = new AtomicWriter(_dir, TimeProvider.System).Write([F("username", "admin"), F("certs/tls.crt", "CERT")]);

        Assert.Equal(["certs/tls.crt", "username"], result.Written);
        var data = new FileInfo(Path.Combine(_dir, "..data")).LinkTarget;
        Assert.NotNull(data);
        Assert.Matches(@"^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\d{9}$", data);
        Assert.Equal("..data/username", new FileInfo(Path.Combine(_dir, "username")).LinkTarget);
        Assert.Equal("..data/certs", new FileInfo(Path.Combine(_dir, "certs")).LinkTarget);
        Assert.Equal("admin", System.IO.File.ReadAllText(Path.Combine(_dir, "username")));
        Assert.Equal("CERT", System.IO.File.ReadAllText(Path.Combine(_dir, "certs", "tls.crt")));
        Assert.Equal([data!, "..data", "certs", "username"], Entries());
    }

    [Fact]
    public void Write_SetsExactModes_RegardlessOfUmask()
    {
        new AtomicWriter(_dir, TimeProvider.System).Write([F("private", "k", mode: 0b110_000_000), F("public", "p", mode: 0b111_111_111)]);
        Assert.Equal((UnixFileMode)0b110_000_000, System.IO.File.GetUnixFileMode(Path.Combine(_dir, "..data", "private")));
        Assert.Equal((UnixFileMode)0b111_111_111, System.IO.File.GetUnixFileMode(Path.Combine(_dir, "..data", "public")));
    }

    [Fact]
    public void Write_UnchangedPayload_SwapsNothing()
    {
        var writer = new AtomicWriter(_dir, TimeProvider.System);
        writer.Write([F("a", "1"), F("b", "2")]);
        var before = writer.ReadDataLink();

        var result = writer.Write([F("a", "1"), F("b", "2")]);

        Assert.False(result.Changed);
        Assert.Equal(["a", "b"], result.Kept);
        Assert.Equal(before, writer.ReadDataLink());
    }

    [Fact]
    public void Write_OneFileChanged_RewritesOnlyThatFile_OthersKeepTheirInode()
    {
        var writer = new AtomicWriter(_dir, TimeProvider.System);
        writer.Write([F("a", "1"), F("b", "2")]);
        var inodeA = FileInode.Of(Path.Combine(_dir, "a"));
        var inodeB = FileInode.Of(Path.Combine(_dir, "b"));
        var before = writer.ReadDataLink();

        var result = writer.Write([F("a", "1"), F("b", "two")]);

        Assert.Equal(["b"], result.Written);
        Assert.Equal(["a"], result.Kept);
        Assert.NotEqual(before, writer.ReadDataLink());
        Assert.Equal(inodeA, FileInode.Of(Path.Combine(_dir, "a")));
        Assert.NotEqual(inodeB, FileInode.Of(Path.Combine(_dir, "b")));
        Assert.Equal("two", System.IO.File.ReadAllText(Path.Combine(_dir, "b")));
        Assert.False(Directory.Exists(Path.Combine(_dir, before!)), "the old payload directory is removed");
    }

    [Fact]
    public void Write_ModeChangeAlone_CountsAsChange()
    {
        var writer = new AtomicWriter(_dir, TimeProvider.System);
        writer.Write([F("a", "1", mode: 420)]);
        var result = writer.Write([F("a", "1", mode: 256)]);
        Assert.Equal(["a"], result.Written);
        Assert.Equal((UnixFileMode)256, System.IO.File.GetUnixFileMode(Path.Combine(_dir, "a")));
    }

    [Fact]
    public void Write_FileDropped_RemovesItsLink()
    {
        var writer = new AtomicWriter(_dir, TimeProvider.System);
        writer.Write([F("a", "1"), F("gone", "2"), F("dir/x", "3")]);

        var result = writer.Write([F("a", "1")]);

        Assert.Equal(["dir/x", "gone"], result.Removed);
        Assert.Equal([writer.ReadDataLink()!, "..data", "a"], Entries());
    }

    [Fact]
    public void Write_ReplacesAForeignFileInTheWay()
    {
        // A legacy provider that wrote files itself leaves real files where links go.
        System.IO.File.WriteAllText(Path.Combine(_dir, "a"), "stale");
        new AtomicWriter(_dir, TimeProvider.System).Write([F("a", "fresh")]);
        Assert.Equal("..data/a", new FileInfo(Path.Combine(_dir, "a")).LinkTarget);
        Assert.Equal("fresh", System.IO.File.ReadAllText(Path.Combine(_dir, "a")));
    }

    [Fact]
    public void Write_RejectsUnsafePayload_BeforeTouchingDisk()
    {
        Assert.Throws<ArgumentException>(() => new AtomicWriter(_dir, TimeProvider.System).Write([F("../evil", "x")]));
        Assert.Empty(Entries());
    }

    [Theory]
    [InlineData(AtomicWriteStep.PayloadWritten)]
    [InlineData(AtomicWriteStep.DataSwapped)]
    [InlineData(AtomicWriteStep.LinksUpdated)]
    public void Write_InterruptedAtAnyStep_LeavesAConsistentVolume_AndTheNextWriteConverges(AtomicWriteStep step)
    {
        new AtomicWriter(_dir, TimeProvider.System).Write([F("a", "old-a"), F("b", "old-b")]);

        var crashing = new AtomicWriter(_dir, TimeProvider.System) { AfterStep = s => { if (s == step) { throw new IOException("crash"); } } };
        Assert.Throws<IOException>(() => crashing.Write([F("a", "new-a"), F("c", "new-c")]));

        // A reader sees one whole generation through ..data: all old or all new.
        var data = Path.Combine(_dir, "..data");
        var visible = Directory.EnumerateFiles(data).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToArray();
        if (step == AtomicWriteStep.PayloadWritten)
        {
            Assert.Equal(["a", "b"], visible);
            Assert.Equal("old-a", System.IO.File.ReadAllText(Path.Combine(_dir, "a")));
        }
        else
        {
            Assert.Equal(["a", "c"], visible);
            Assert.Equal("new-a", System.IO.File.ReadAllText(Path.Combine(data, "a")));
        }

        var writer = new AtomicWriter(_dir, TimeProvider.System);
        writer.Write([F("a", "new-a"), F("c", "new-c")]);

        Assert.Equal([writer.ReadDataLink()!, "..data", "a", "c"], Entries());
        Assert.Equal("new-a", System.IO.File.ReadAllText(Path.Combine(_dir, "a")));
        Assert.Equal("new-c", System.IO.File.ReadAllText(Path.Combine(_dir, "c")));
    }

    [Fact]
    public void Write_RemovesALeftoverTemporaryLink()
    {
        var writer = new AtomicWriter(_dir, TimeProvider.System);
        writer.Write([F("a", "1")]);
        System.IO.File.CreateSymbolicLink(Path.Combine(_dir, "..data_tmp"), "..nowhere");

        writer.Write([F("a", "2")]);

        Assert.False(System.IO.File.Exists(Path.Combine(_dir, "..data_tmp")) || new FileInfo(Path.Combine(_dir, "..data_tmp")).LinkTarget is not null);
        Assert.Equal("2", System.IO.File.ReadAllText(Path.Combine(_dir, "a")));
    }

    private string[] Entries()
        => new DirectoryInfo(_dir).EnumerateFileSystemInfos().Select(e => e.Name).Order(StringComparer.Ordinal).ToArray();

    private static PayloadFile F(string path, string content, int mode = 420) => new(path, Encoding.UTF8.GetBytes(content), mode);
}
