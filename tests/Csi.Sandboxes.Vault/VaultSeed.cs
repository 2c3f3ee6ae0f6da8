using System.Text.Json;
using System.Text.Json.Nodes;
using Csi.Sandboxes.Vault.Internal;

namespace Csi.Sandboxes.Vault;

/// <summary>
/// Applies a JSON seed document: namespaces, mounts, secrets, policies and auth roles, using Vault's field names.
/// The format is documented in README.md.
/// </summary>
internal static class VaultSeed
{
    public static void Apply(VaultSandbox sandbox, string json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new FormatException("seed must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new FormatException("seed is not valid JSON: " + e.Message, e);
        }

        foreach (var ns in Items(root, "namespaces"))
        {
            sandbox.CreateNamespace(ns.ToString());
        }

        foreach (var mount in Objects(root, "mounts"))
        {
            ApplyMount(sandbox, mount);
        }

        foreach (var secret in Objects(root, "secrets"))
        {
            var data = secret["data"] as JsonObject ?? throw new FormatException("secrets[].data must be an object");
            sandbox.WriteSecret(Required(secret, "mount"), Required(secret, "path"), data, Ns(secret));
        }

        foreach (var policy in Objects(root, "policies"))
        {
            var rules = Objects(policy, "rules")
                .Select(r => new VaultPolicyRule(Required(r, "path"), RoleJson.Strings(r, "capabilities")))
                .ToArray();
            sandbox.WritePolicy(Required(policy, "name"), rules, Ns(policy));
        }

        foreach (var auth in Objects(root, "auth"))
        {
            var type = Required(auth, "type");
            var path = RoleJson.Str(auth, "path") ?? type;
            switch (type)
            {
                case "kubernetes":
                    sandbox.EnableKubernetesAuth(path, Ns(auth), new KubernetesAuthSettings { Issuer = RoleJson.Str(auth, "issuer") });
                    break;
                case "jwt":
                    sandbox.EnableJwtAuth(path, Ns(auth), new JwtAuthSettings { BoundIssuer = RoleJson.Str(auth, "bound_issuer"), DefaultRole = RoleJson.Str(auth, "default_role") });
                    break;
                default:
                    throw new FormatException($"auth type \"{type}\" is not supported (kubernetes, jwt)");
            }

            if (auth["roles"] is JsonObject roles)
            {
                foreach (var (name, body) in roles)
                {
                    sandbox.WriteAuthRole(path, RoleJson.FromJson(name, body as JsonObject ?? []), Ns(auth));
                }
            }
        }
    }

    private static void ApplyMount(VaultSandbox sandbox, JsonObject mount)
    {
        var path = Required(mount, "path");
        var ns = Ns(mount);
        var type = Required(mount, "type");
        var version = RoleJson.Str(mount, "version") ?? (mount["options"] as JsonObject is { } o ? RoleJson.Str(o, "version") : null);
        switch (type)
        {
            case "kv" when version == "2":
            case "kv-v2":
                sandbox.EnableKvV2(path, ns, mount["max_versions"] is JsonValue mv && mv.TryGetValue<int>(out var max) ? max : 0, Bool(mount, "cas_required"));
                break;
            case "kv":
            case "kv-v1":
                sandbox.EnableKvV1(path, ns);
                break;
            case "database":
                sandbox.EnableDatabase(path, ns);
                foreach (var (name, body) in Roles(mount))
                {
                    sandbox.WriteDatabaseRole(path, new VaultDatabaseRole
                    {
                        Name = name,
                        DefaultTtl = RoleJson.Duration(body, "default_ttl") ?? TimeSpan.FromHours(1),
                        MaxTtl = RoleJson.Duration(body, "max_ttl") ?? TimeSpan.FromHours(24),
                    }, ns);
                }

                break;
            case "pki":
                sandbox.EnablePki(path, ns);
                foreach (var (name, body) in Roles(mount))
                {
                    sandbox.WritePkiRole(path, new VaultPkiRole
                    {
                        Name = name,
                        AllowedDomains = RoleJson.Strings(body, "allowed_domains"),
                        AllowSubdomains = Bool(body, "allow_subdomains"),
                        AllowBareDomains = Bool(body, "allow_bare_domains"),
                        AllowAnyName = Bool(body, "allow_any_name"),
                        AllowLocalhost = body["allow_localhost"] is null || Bool(body, "allow_localhost"),
                        Ttl = RoleJson.Duration(body, "ttl") ?? TimeSpan.FromHours(72),
                        MaxTtl = RoleJson.Duration(body, "max_ttl") ?? TimeSpan.FromDays(30),
                    }, ns);
                }

                break;
            case "generic":
                sandbox.EnableGenericEngine(path, RoleJson.Str(mount, "mount_type") ?? "generic", ns);
                if (mount["secrets"] is JsonObject secrets)
                {
                    foreach (var (secretPath, node) in secrets)
                    {
                        var body = node as JsonObject ?? [];
                        sandbox.SetGenericSecret(path, secretPath, new VaultGenericSecret
                        {
                            Data = body["data"] as JsonObject ?? [],
                            LeaseDuration = RoleJson.Duration(body, "lease_duration") ?? TimeSpan.Zero,
                            Renewable = Bool(body, "renewable"),
                        }, ns);
                    }
                }

                break;
            default:
                throw new FormatException($"mount type \"{type}\" is not supported (kv, kv-v2, database, pki, generic)");
        }
    }

    private static IEnumerable<(string Name, JsonObject Body)> Roles(JsonObject mount) =>
        mount["roles"] is JsonObject roles
            ? roles.Select(p => (p.Key, p.Value as JsonObject ?? []))
            : [];

    private static IEnumerable<JsonNode> Items(JsonObject obj, string name) =>
        obj[name] is JsonArray a ? a.OfType<JsonNode>() : [];

    private static IEnumerable<JsonObject> Objects(JsonObject obj, string name) =>
        Items(obj, name).Select(n => n as JsonObject ?? throw new FormatException($"{name}[] entries must be objects"));

    private static string Required(JsonObject obj, string name) =>
        RoleJson.Str(obj, name) is { Length: > 0 } s ? s : throw new FormatException($"\"{name}\" is required");

    private static string? Ns(JsonObject obj) => RoleJson.Str(obj, "namespace");

    private static bool Bool(JsonObject obj, string name) =>
        obj[name] is JsonValue v && ((v.TryGetValue<bool>(out var b) && b) || (v.TryGetValue<string>(out var s) && string.Equals(s, "true", StringComparison.OrdinalIgnoreCase)));
}
