using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Csi.Common;
using Csi.Common.Mounting;
using Grpc.Net.Client;
using SecretsStore.Provider.V1Alpha1;

namespace Csi.Benchmarks;

/// <summary>
/// The least a publish can cost: make the directory, mount a tmpfs (with the driver's <see cref="LinuxMounter"/>),
/// one gRPC Mount round trip to the provider, write the files with their modes. Nothing else.
/// </summary>
internal sealed class BaselinePublisher : IDisposable
{
    private const UnixFileMode TmpfsMode = (UnixFileMode)0b111_101_101;

    private readonly LinuxMounter _mounter = new();
    private readonly GrpcChannel _channel;
    private readonly CSIDriverProvider.CSIDriverProviderClient _provider;

    public BaselinePublisher(string providerSocket)
    {
        _channel = GrpcEndpoint.CreateChannel("unix://" + providerSocket);
        _provider = new CSIDriverProvider.CSIDriverProviderClient(_channel);
    }

    /// <summary>The attributes the driver would send for a class with the given count and pod; built once per series.</summary>
    public static string Attributes(string className, int count, string podNamespace)
    {
        var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["count"] = count.ToString(CultureInfo.InvariantCulture),
            ["secretProviderClass"] = className,
            ["csi.storage.k8s.io/ephemeral"] = "true",
            ["csi.storage.k8s.io/pod.name"] = "pod-baseline",
            ["csi.storage.k8s.io/pod.namespace"] = podNamespace,
            ["csi.storage.k8s.io/pod.uid"] = "baseline",
        };
        return JsonSerializer.Serialize(attributes);
    }

    /// <summary>Publishes to <paramref name="target"/> (which must not exist) and returns the time it took.</summary>
    public async Task<TimeSpan> PublishAsync(string attributes, string target, CancellationToken cancellationToken)
    {
        var request = new MountRequest { Attributes = attributes, Secrets = "{}", TargetPath = target, Permission = "420" };
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(target);
        _mounter.MountTmpfs(target, TmpfsMode);
        var response = await _provider.MountAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var file in response.Files)
        {
            Write(Path.Combine(target, file.Path), file.Contents.Span, (UnixFileMode)file.Mode);
        }
        var elapsed = clock.Elapsed;
        if (response.Files.Count == 0)
        {
            throw new InvalidOperationException("the provider returned no files");
        }
        return elapsed;
    }

    public void Unpublish(string target)
    {
        _mounter.Unmount(target);
        Directory.Delete(target, recursive: true);
    }

    public void Dispose() => _channel.Dispose();

    private static void Write(string path, ReadOnlySpan<byte> contents, UnixFileMode mode)
    {
        using (var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
        {
            stream.Write(contents);
        }
        // The create mode went through the umask.
        System.IO.File.SetUnixFileMode(path, mode);
    }
}
