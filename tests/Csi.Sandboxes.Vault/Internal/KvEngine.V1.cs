using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Vault.Internal;

/// <summary>KV version 1: one JSON object a path, read, written, listed and deleted as it is.</summary>
internal sealed partial class KvEngine
{
    private VaultResponse HandleV1(EngineRequest r)
    {
        switch (r.Operation)
        {
            case "read":
                if (!_v1.TryGetValue(r.Path, out var data))
                {
                    return VaultResponse.NotFound();
                }

                var lease = DefaultLeaseSeconds;
                var ttlNode = data["ttl"] ?? data["lease"];
                if (ttlNode is not null && VaultText.TryParseDuration(ttlNode, out var ttl))
                {
                    lease = (long)ttl.TotalSeconds;
                }

                return VaultResponse.Envelope(200, data.DeepClone(), Type, leaseDuration: lease);

            case "list":
                return List(_v1.Keys, r.Path);

            case "create":
            case "update":
                if (r.Path.Length == 0)
                {
                    return VaultResponse.BadRequest("missing path");
                }

                if (r.Body is null || r.Body.Count == 0)
                {
                    return VaultResponse.BadRequest("missing data fields");
                }

                _v1[r.Path] = (JsonObject)r.Body.DeepClone();
                return VaultResponse.NoContent();

            case "delete":
                _v1.Remove(r.Path);
                return VaultResponse.NoContent();

            default:
                return VaultResponse.MultiError(405, "unsupported operation");
        }
    }
}
