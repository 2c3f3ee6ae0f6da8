using System.Globalization;
using System.Text.Json;
using Csi.Common;
using Csi.V1;
using Google.Protobuf.Collections;
using Grpc.Net.Client;

namespace Csi.Client;

/// <summary>The three CSI services of one plugin endpoint, over one channel.</summary>
public sealed class CsiClient : IDisposable
{
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromHours(1);

    private readonly GrpcChannel _channel;

    public CsiClient(GrpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
        Identity = new Identity.IdentityClient(channel);
        Node = new Node.NodeClient(channel);
        Controller = new Controller.ControllerClient(channel);
    }

    public Identity.IdentityClient Identity { get; }

    public Node.NodeClient Node { get; }

    public Controller.ControllerClient Controller { get; }

    public static CsiClient Connect(string endpoint) => new(GrpcEndpoint.CreateChannel(endpoint));

    /// <summary>Builds the NodePublishVolume request kubelet sends for a CSI inline ephemeral volume.</summary>
    public static NodePublishVolumeRequest BuildPublishRequest(PublishOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var mount = new VolumeCapability.Types.MountVolume { FsType = o.FsType ?? "" };
        mount.MountFlags.AddRange(o.MountFlags);

        var request = new NodePublishVolumeRequest
        {
            VolumeId = o.VolumeId,
            TargetPath = o.TargetPath,
            Readonly = o.Readonly,
            VolumeCapability = new VolumeCapability
            {
                Mount = mount,
                AccessMode = new VolumeCapability.Types.AccessMode { Mode = o.AccessMode },
            },
        };
        foreach (var (key, value) in o.Attributes)
        {
            request.VolumeContext[key] = value;
        }

        foreach (var (key, value) in o.Secrets)
        {
            request.Secrets[key] = value;
        }

        AddIfSet(request.VolumeContext, VolumeContextKeys.PodName, o.PodName);
        AddIfSet(request.VolumeContext, VolumeContextKeys.PodNamespace, o.PodNamespace);
        AddIfSet(request.VolumeContext, VolumeContextKeys.PodUid, o.PodUid);
        AddIfSet(request.VolumeContext, VolumeContextKeys.ServiceAccountName, o.ServiceAccountName);
        if (o.PodName is not null || o.PodNamespace is not null || o.PodUid is not null || o.ServiceAccountName is not null)
        {
            request.VolumeContext[VolumeContextKeys.Ephemeral] = "true";
        }

        if (o.Tokens.Count > 0)
        {
            // Kubernetes >= 1.35 can move the tokens out of the (logged) volume context into secrets.
            var target = o.TokensInSecrets ? request.Secrets : request.VolumeContext;
            target[VolumeContextKeys.ServiceAccountTokens] = TokensJson(o.Tokens, o.TokenExpiration ?? DateTimeOffset.UtcNow + DefaultTokenLifetime);
        }

        return request;
    }

    public void Dispose() => _channel.Dispose();

    private static void AddIfSet(MapField<string, string> map, string key, string? value)
    {
        if (value is not null)
        {
            map[key] = value;
        }
    }

    // Same shape as kubelet's map[audience]TokenRequestStatus: {"aud":{"token":"...","expirationTimestamp":"RFC3339"}}.
    private static string TokensJson(IReadOnlyDictionary<string, string> tokens, DateTimeOffset expiration)
    {
        var expires = expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (audience, token) in tokens)
            {
                json.WriteStartObject(audience);
                json.WriteString("token", token);
                json.WriteString("expirationTimestamp", expires);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
