namespace Csi.ProviderHost.Tests;

public class MountContextTests
{
    [Fact]
    public async Task FetchAllAsync_KeepsOrder_AndNeverExceedsTheLimit()
    {
        var context = Context(maxConcurrency: 3);
        var running = 0;
        var peak = 0;

        var results = await context.FetchAllAsync(Enumerable.Range(0, 20).ToArray(), async (i, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await Task.Delay(5, ct);
            Interlocked.Decrement(ref running);
            return i * 10;
        }, default);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 10), results);
        Assert.InRange(peak, 1, 3);
    }

    [Fact]
    public async Task FetchAllAsync_FirstFailure_Propagates()
    {
        var error = await Assert.ThrowsAsync<ProviderException>(() => Context().FetchAllAsync(new[] { 1, 2, 3 }, (i, _) =>
            i == 2 ? throw ProviderException.InvalidParameter("object 2 is wrong") : Task.FromResult(i), default));
        Assert.Contains("object 2 is wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCurrentFile_ReadsInsideTheTarget_Only()
    {
        var dir = Directory.CreateTempSubdirectory("mount-context-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a"), "current");
            var context = Context(target: dir);
            Assert.Equal("current"u8.ToArray(), context.ReadCurrentFile("a"));
            Assert.Null(context.ReadCurrentFile("missing"));
            Assert.Null(context.ReadCurrentFile("../etc/passwd"));
            Assert.Null(context.ReadCurrentFile("/etc/passwd"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static MountContext Context(int maxConcurrency = 10, string target = "")
        => new(new Dictionary<string, string>(), new Dictionary<string, string>(), target, 420, new PodInfo("p", "n", "u", "s"),
            new Dictionary<string, ServiceAccountToken>(), new Dictionary<string, string>(), maxConcurrency);

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
