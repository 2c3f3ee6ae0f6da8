using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using SecretsStore.Provider.V1Alpha1;
using YamlDotNet.RepresentationModel;

namespace Csi.TestProvider;

/// <summary>
/// A Mount handler that serves each object named in the "objects" parameter from a file of the same name in a
/// directory. "objects" is a YAML list of {objectName, filePermission?}. Versions are keyed hashes of the
/// content: they change when the content does and reveal nothing about it.
/// </summary>
public sealed class DirectoryObjects
{
    private readonly string _directory;
    private readonly byte[] _versionKey = RandomNumberGenerator.GetBytes(32);

    public DirectoryObjects(string directory)
    {
        _directory = directory;
    }

    public Task<MountResponse> MountAsync(MountRequest request, ServerCallContext context)
    {
        var attributes = JsonSerializer.Deserialize(request.Attributes, TestProviderJsonContext.Default.DictionaryStringString)
            ?? throw Invalid("attributes is not a JSON object");
        if (!attributes.TryGetValue("objects", out var objectsYaml) || string.IsNullOrWhiteSpace(objectsYaml))
        {
            throw Invalid("parameter objects is missing");
        }
        var defaultMode = int.Parse(request.Permission, CultureInfo.InvariantCulture);

        var response = new MountResponse();
        foreach (var (name, mode) in ParseObjects(objectsYaml, defaultMode))
        {
            var path = Path.Combine(_directory, name);
            if (!System.IO.File.Exists(path))
            {
                throw new RpcException(new Status(StatusCode.NotFound, $"object {name} not found"));
            }
            var contents = System.IO.File.ReadAllBytes(path);
            response.Files.Add(new SecretsStore.Provider.V1Alpha1.File { Path = name, Mode = mode, Contents = ByteString.CopyFrom(contents) });
            response.ObjectVersion.Add(new ObjectVersion { Id = "file/" + name, Version = Convert.ToHexStringLower(HMACSHA256.HashData(_versionKey, contents))[..16] });
        }
        return Task.FromResult(response);
    }

    private static List<(string Name, int Mode)> ParseObjects(string yaml, int defaultMode)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlSequenceNode list)
        {
            throw Invalid("parameter objects must be a YAML list of {objectName, filePermission}");
        }
        var objects = new List<(string, int)>();
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode("objectName"), out var nameNode) || nameNode is not YamlScalarNode { Value: { Length: > 0 } name })
            {
                throw Invalid("every entry of objects needs objectName");
            }
            var mode = defaultMode;
            if (map.Children.TryGetValue(new YamlScalarNode("filePermission"), out var modeNode) && modeNode is YamlScalarNode { Value: { Length: > 0 } octal })
            {
                mode = Convert.ToInt32(octal, 8);
            }
            objects.Add((name, mode));
        }
        return objects;
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
