using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>What every write passes before storage: request body checks, decoding, metadata validation, schemas and namespace lifecycle.</summary>
internal sealed partial class ClusterState
{
    private static JsonObject PrepareIncoming(ResourceType view, string? ns, JsonObject body, string? urlName, bool patch = false)
    {
        var apiVersion = JsonText.GetString(body, "apiVersion");
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != view.ApiVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({view.ApiVersion})");
        }

        var kind = JsonText.GetString(body, "kind");
        if (!string.IsNullOrEmpty(kind) && kind != view.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({view.Kind})");
        }

        var obj = view.ToInternal((JsonObject)body.DeepClone());
        Decode(view, obj, patch ? body : null);
        var meta = JsonText.Metadata(obj);
        foreach (var map in new[] { "labels", "annotations" })
        {
            if (meta[map] is JsonObject entries && entries.Any(e => e.Value is not JsonValue v || !v.TryGetValue<string>(out _)))
            {
                throw ApiException.BadRequest($"json: cannot unmarshal non-string into Go struct field ObjectMeta.metadata.{map} of type string");
            }
        }

        if (view.Namespaced)
        {
            var bodyNamespace = JsonText.GetString(meta, "namespace");
            if (!string.IsNullOrEmpty(bodyNamespace) && ns is not null && bodyNamespace != ns)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            meta["namespace"] = ns ?? bodyNamespace;
        }
        else
        {
            meta.Remove("namespace");
        }

        if (urlName is not null)
        {
            var bodyName = JsonText.GetString(meta, "name") ?? string.Empty;
            if (bodyName != urlName)
            {
                throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({urlName})");
            }
        }

        return obj;
    }

    /// <summary>
    /// Parses quantities and times as the decoder does and writes them back canonical. A body that does not decode is
    /// a 400 (<c>transformDecodeError</c>); a patch result that does not decode is a 422 on the field <c>patch</c>.
    /// </summary>
    private static void Decode(ResourceType view, JsonObject obj, JsonObject? patched)
    {
        try
        {
            view.Store.Formats?.Canonicalize(obj);
        }
        catch (FormatException e) when (patched is null)
        {
            throw ApiException.BadRequest($"{view.Kind} in version \"{view.Version}\" cannot be handled as a {view.Kind}: {e.Message}");
        }
        catch (FormatException e)
        {
            throw ApiException.Invalid(string.Empty, string.Empty, string.Empty, string.Empty,
                [FieldError.Invalid("patch", JsonValue.Create(patched!.ToJsonString(JsonText.Options)), e.Message)]);
        }
    }

    private static void ValidateMetadata(ResourceType view, JsonObject obj, string name)
    {
        var errors = new List<FieldError>();
        var meta = JsonText.Metadata(obj);
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else if (view.Store.NameIsDnsLabel ? !Names.IsDnsLabel(name) : !Names.IsDnsSubdomain(name))
        {
            errors.Add(FieldError.Invalid("metadata.name", JsonValue.Create(name), view.Store.NameIsDnsLabel ? Names.DnsLabelMessage : Names.DnsSubdomainMessage));
        }

        if (meta["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                var text = JsonText.Scalar(value);
                if (!Names.IsQualifiedName(key))
                {
                    errors.Add(FieldError.Invalid("metadata.labels", JsonValue.Create(key), "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"));
                }

                if (value is not JsonValue || !Names.IsLabelValue(text))
                {
                    errors.Add(FieldError.Invalid("metadata.labels", value?.DeepClone(), "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
                }
            }
        }

        if (meta["annotations"] is JsonObject annotations)
        {
            foreach (var (key, _) in annotations)
            {
                if (!Names.IsQualifiedName(key))
                {
                    errors.Add(FieldError.Invalid("metadata.annotations", JsonValue.Create(key), "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
                }
            }
        }

        if (meta["ownerReferences"] is JsonArray owners)
        {
            foreach (var owner in owners.OfType<JsonObject>())
            {
                foreach (var field in new[] { "apiVersion", "kind", "name", "uid" })
                {
                    if (string.IsNullOrEmpty(JsonText.GetString(owner, field)))
                    {
                        errors.Add(FieldError.Invalid($"metadata.ownerReferences.{field}", JsonValue.Create(string.Empty), $"{field} must not be empty"));
                    }
                }
            }

            if (owners.OfType<JsonObject>().Count(o => o["controller"]?.GetValue<bool>() == true) > 1)
            {
                errors.Add(FieldError.Invalid("metadata.ownerReferences", null, "Only one reference can have Controller set to true"));
            }
        }

        ThrowIfInvalid(view, name, errors);
    }

    private static void ThrowIfInvalid(ResourceType view, string name, List<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(view.QualifiedKind, view.Group, view.Kind, name, errors);
        }
    }

    private static void ApplySchema(ResourceType view, JsonObject obj, string name, WriteOptions options, List<string> warnings)
    {
        if (view.Schema is null)
        {
            return;
        }

        var pruned = view.Schema.PruneAndDefault(obj);
        if (pruned.Count > 0)
        {
            switch (options.FieldValidation)
            {
                case "Strict":
                    throw ApiException.BadRequest("strict decoding error: " + string.Join(", ", pruned.Select(p => $"unknown field \"{p}\"")));
                case "Ignore":
                    break;
                default:
                    warnings.AddRange(pruned.Select(p => $"unknown field \"{p}\""));
                    break;
            }
        }

        ThrowIfInvalid(view, name, view.Schema.Validate(obj));
    }

    private void EnsureNamespaceWritable(ResourceType view, string? ns, string name)
    {
        if (!view.Namespaced)
        {
            return;
        }

        if (string.IsNullOrEmpty(ns))
        {
            throw ApiException.BadRequest("the server could not find the requested resource: a namespace is required");
        }

        if (!RequireNamespaces)
        {
            return;
        }

        var nsObject = _namespaces.Objects.GetValueOrDefault(ns) ?? throw ApiException.NotFound(_namespaces.GroupResource, ns);
        if (nsObject.IsDeleting)
        {
            throw ApiException.Forbidden(view.GroupResource, name, $"unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    private void EnsureNamespace(string ns)
    {
        if (_namespaces.Objects.ContainsKey(ns))
        {
            return;
        }

        var obj = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject
            {
                ["name"] = ns,
                ["uid"] = Guid.NewGuid().ToString(),
                ["creationTimestamp"] = JsonText.Timestamp(_time.GetUtcNow()),
            },
            ["status"] = new JsonObject { ["phase"] = "Active" },
        };
        _namespaces.Defaulter?.Invoke(obj);
        Commit(_namespaces, obj, null);
    }
}
