namespace Csi.Providers.Azure.Tests.Unit;

public sealed class VaultRequestGateTests
{
    private static readonly Uri Vault = new("https://kv1.vault.azure.net/");
    private static readonly Uri OtherVault = new("https://kv2.vault.azure.net/");

    [Fact]
    public async Task FetchesToOneVault_NeverExceedTheBound_AndAllComplete()
    {
        var gate = new VaultRequestGate(3);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        var peak = 0;
        var fetches = Enumerable.Range(0, 12).Select(i => gate.RunAsync(Vault, async () =>
        {
            Interlocked.Increment(ref started);
            InterlockedMax(ref peak, gate.InFlight(Vault));
            await release.Task;
            return i;
        }, CancellationToken.None)).ToList();

        await WaitUntilAsync(() => Volatile.Read(ref started) == 3);
        Assert.Equal(3, gate.InFlight(Vault));
        Assert.Equal(3, Volatile.Read(ref started));

        release.SetResult();
        Assert.Equal(Enumerable.Range(0, 12), await Task.WhenAll(fetches));
        Assert.Equal(3, peak);
        Assert.Equal(0, gate.InFlight(Vault));
    }

    [Fact]
    public async Task AnotherVault_HasItsOwnBound()
    {
        var gate = new VaultRequestGate(1);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocked = gate.RunAsync(Vault, async () => { await release.Task; return 1; }, CancellationToken.None);

        Assert.Equal(2, await gate.RunAsync(OtherVault, () => Task.FromResult(2), CancellationToken.None));

        release.SetResult();
        Assert.Equal(1, await blocked);
    }

    [Fact]
    public async Task AWaitingFetch_IsCancelled_WithoutTakingASlot()
    {
        var gate = new VaultRequestGate(1);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocked = gate.RunAsync(Vault, async () => { await release.Task; return 1; }, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = gate.RunAsync(Vault, () => Task.FromResult(2), cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        release.SetResult();
        await blocked;
        Assert.Equal(0, gate.InFlight(Vault));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
