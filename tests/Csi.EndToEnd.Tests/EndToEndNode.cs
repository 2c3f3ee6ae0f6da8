using Csi.Testing;
using Csi.V1;

namespace Csi.EndToEnd.Tests;

/// <summary>
/// The node side every end-to-end stack shares: a temporary root holding kubelet's pods directory, the providers
/// directory, the standalone SecretProviderClass directory and a working directory, and the driver binary serving
/// CSI on a unix socket there. A stack starts its provider on <see cref="ProviderSocket"/>, then the driver.
/// </summary>
internal sealed class EndToEndNode : IAsyncDisposable
{
    private readonly TempDirectory _root;
    private DriverProcess? _driver;

    public EndToEndNode(string name)
    {
        _root = new TempDirectory(name);
        Directory.CreateDirectory(ProvidersDirectory);
        Directory.CreateDirectory(ClassDirectory);
        Directory.CreateDirectory(Path.Combine(Root, "pods"));
        Directory.CreateDirectory(WorkDirectory);
    }

    public string Root => _root.Path;

    public string ProvidersDirectory => Path.Combine(Root, "providers");

    public string ClassDirectory => Path.Combine(Root, "spc");

    public string WorkDirectory => Path.Combine(Root, "work");

    public DriverProcess Driver => _driver ?? throw new InvalidOperationException("the driver is not started");

    /// <summary>Where the driver looks for provider <paramref name="provider"/>.</summary>
    public string ProviderSocket(string provider) => Path.Combine(ProvidersDirectory, provider + ".sock");

    /// <summary>Starts the driver binary in standalone mode with rotation on at <paramref name="rotationInterval"/>.</summary>
    public async Task StartDriverAsync(string nodeId, string rotationInterval)
    {
        var endpoint = "unix://" + Path.Combine(Root, "csi.sock");
        _driver = await DriverProcess.StartAsync(Binary("secrets-store-csi-driver"), [
            "--endpoint", endpoint, "--nodeid", nodeId,
            "--provider-volume", ProvidersDirectory, "--additional-provider-volume-paths=",
            "--spc-dir", ClassDirectory, "--metrics-addr=", "--state-dir", Path.Combine(Root, "state"),
            "--enable-secret-rotation", "--rotation-poll-interval", rotationInterval,
        ], endpoint, WorkDirectory);
    }

    /// <summary>Writes a SecretProviderClass manifest the driver reads from <see cref="ClassDirectory"/>.</summary>
    public void WriteClass(string name, string manifest) => File.WriteAllText(Path.Combine(ClassDirectory, name + ".yaml"), manifest);

    /// <summary>A fresh target path laid out as kubelet lays out a CSI inline volume; its parent exists.</summary>
    public string NewTarget()
    {
        var parent = Path.Combine(Root, "pods", Guid.NewGuid().ToString("N"), "volumes", "kubernetes.io~csi", "secrets");
        Directory.CreateDirectory(parent);
        return Path.Combine(parent, "mount");
    }

    public Task<NodePublishVolumeResponse> PublishAsync(NodePublishVolumeRequest request)
        => Driver.Client.Node.NodePublishVolumeAsync(request, deadline: DateTime.UtcNow.AddSeconds(60)).ResponseAsync;

    public Task UnpublishAsync(string target)
        => Driver.Client.Node.NodeUnpublishVolumeAsync(new NodeUnpublishVolumeRequest { VolumeId = "v", TargetPath = target }).ResponseAsync;

    /// <summary>Stops the driver first, so that a stack can stop its provider and sandboxes behind it.</summary>
    public async Task StopDriverAsync()
    {
        if (_driver is not null)
        {
            await _driver.DisposeAsync();
            _driver = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopDriverAsync();
        _root.Dispose();
    }

    /// <summary>A binary built beside the tests (the projects under test are referenced).</summary>
    public static string Binary(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{name} was not built beside the tests", path);
    }
}
