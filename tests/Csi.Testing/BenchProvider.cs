using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Csi.TestProvider;
using Google.Protobuf;
using Grpc.Core;
using SecretsStore.Provider.V1Alpha1;

namespace Csi.Testing;

/// <summary>
/// An in-process provider that answers Mount with "count" (a parameter of the SecretProviderClass) files of a fixed
/// size, named object-000, object-001, ..., each with an object version. Responses are built once per count, so the
/// provider's own cost stays small and the same for every caller.
/// </summary>
public sealed class BenchProvider : IAsyncDisposable
{
    public const string DefaultName = "bench";
    public const string CountParameter = "count";
    public const int DefaultFileSize = 4 * 1024;

    private readonly TestProviderServer _server;
    private readonly int _fileSize;
    private readonly ConcurrentDictionary<(int Count, int Mode), MountResponse> _responses = new();
    private int _mountCalls;

    private BenchProvider(TestProviderServer server, string name, int fileSize)
    {
        _server = server;
        Name = name;
        _fileSize = fileSize;
    }

    /// <summary>The provider name: spec.provider of the classes that use it, and the socket's file name.</summary>
    public string Name { get; }

    public string SocketPath => _server.SocketPath;

    public int MountCalls => Volatile.Read(ref _mountCalls);

    /// <summary>Serves on &lt;providersDirectory&gt;/&lt;name&gt;.sock.</summary>
    public static async Task<BenchProvider> StartAsync(string providersDirectory, string name = DefaultName, int fileSize = DefaultFileSize)
    {
        var service = new TestProviderService();
        var server = await TestProviderServer.StartAsync(Path.Combine(providersDirectory, name + ".sock"), service).ConfigureAwait(false);
        var provider = new BenchProvider(server, name, fileSize);
        service.Handler = (request, _) =>
        {
            // The service keeps every request for assertions; a benchmark makes too many to keep.
            while (service.Requests.Count > 16 && service.Requests.TryDequeue(out var _))
            {
            }
            return Task.FromResult(provider.Mount(request));
        };
        return provider;
    }

    public static string FileName(int index) => "object-" + index.ToString("D3", CultureInfo.InvariantCulture);

    /// <summary>The bytes of file <paramref name="index"/>: its name repeated up to the file size.</summary>
    public static byte[] Contents(int index, int size = DefaultFileSize)
    {
        var pattern = Encoding.ASCII.GetBytes(FileName(index) + "\n");
        var contents = new byte[size];
        for (var i = 0; i < size; i++)
        {
            contents[i] = pattern[i % pattern.Length];
        }
        return contents;
    }

    /// <summary>A SecretProviderClass manifest for <paramref name="count"/> objects of this provider.</summary>
    public string Manifest(string className, int count, string podNamespace = "default")
        => $"""
            apiVersion: secrets-store.csi.x-k8s.io/v1
            kind: SecretProviderClass
            metadata:
              name: {className}
              namespace: {podNamespace}
            spec:
              provider: {Name}
              parameters:
                count: "{count.ToString(CultureInfo.InvariantCulture)}"

            """;

    /// <summary>What the provider answers: the cached response for the request's count.</summary>
    public MountResponse Mount(MountRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Interlocked.Increment(ref _mountCalls);
        var count = ReadCount(request.Attributes);
        var mode = int.TryParse(request.Permission, NumberStyles.None, CultureInfo.InvariantCulture, out var permission) ? permission : Convert.ToInt32("644", 8);
        return _responses.GetOrAdd((count, mode), key => Build(key.Count, key.Mode, _fileSize));
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static int ReadCount(string attributes)
    {
        using var json = JsonDocument.Parse(attributes);
        if (json.RootElement.TryGetProperty(CountParameter, out var value)
            && int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count > 0)
        {
            return count;
        }
        throw new RpcException(new Status(StatusCode.InvalidArgument, "parameter count must be a positive integer"));
    }

    private static MountResponse Build(int count, int mode, int size)
    {
        var response = new MountResponse();
        for (var i = 0; i < count; i++)
        {
            response.Files.Add(new SecretsStore.Provider.V1Alpha1.File { Path = FileName(i), Mode = mode, Contents = ByteString.CopyFrom(Contents(i, size)) });
            response.ObjectVersion.Add(new ObjectVersion { Id = "bench/" + FileName(i), Version = "v1" });
        }
        return response;
    }
}
