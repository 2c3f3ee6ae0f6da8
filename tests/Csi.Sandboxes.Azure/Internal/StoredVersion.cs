using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Azure.Internal;

/// <summary>One version of a secret, key or certificate: its attributes and the fields of its bundle.</summary>
internal sealed class StoredVersion(string version, DateTimeOffset created, bool enabled, JsonObject body)
{
    public string Version { get; } = version;

    public DateTimeOffset Created { get; } = created;

    public DateTimeOffset Updated { get; set; } = created;

    public bool Enabled { get; set; } = enabled;

    /// <summary>Bundle fields other than the id and attributes (value, contentType, key, cer, tags...).</summary>
    public JsonObject Body { get; } = body;

    public JsonObject Attributes()
    {
        var attributes = new JsonObject
        {
            ["enabled"] = Enabled,
            ["created"] = Created.ToUnixTimeSeconds(),
            ["updated"] = Updated.ToUnixTimeSeconds(),
            ["recoveryLevel"] = "Recoverable+Purgeable",
            ["recoverableDays"] = 90,
        };
        return attributes;
    }
}
