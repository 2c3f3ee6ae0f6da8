using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// The useful subset of a CRD's <c>openAPIV3Schema</c> the API server applies to custom objects, in its order:
/// pruning of unknown fields (unless <c>x-kubernetes-preserve-unknown-fields</c>), defaulting (<c>default</c>), then
/// validation of <c>type</c> (with <c>nullable</c> and <c>x-kubernetes-int-or-string</c>), <c>required</c>,
/// <c>enum</c>, <c>minLength</c>/<c>maxLength</c>, <c>pattern</c>, <c>minimum</c>/<c>maximum</c> (and exclusive),
/// <c>minItems</c>/<c>maxItems</c>, <c>minProperties</c>/<c>maxProperties</c>, through <c>properties</c>,
/// <c>items</c> and <c>additionalProperties</c>. Not applied: CEL rules, <c>format</c>, <c>allOf</c>/<c>anyOf</c>/
/// <c>oneOf</c>/<c>not</c>, list-type uniqueness.
/// </summary>
internal sealed class StructuralSchema(JsonObject schema)
{
    private static readonly HashSet<string> RootKeys = new(StringComparer.Ordinal) { "apiVersion", "kind", "metadata" };

    /// <summary>Prunes and defaults <paramref name="obj"/> in place; returns the paths of pruned fields.</summary>
    public List<string> PruneAndDefault(JsonObject obj)
    {
        var pruned = new List<string>();
        PruneObject(obj, schema, string.Empty, pruned, root: true);
        Default(obj, schema);
        return pruned;
    }

    public List<FieldError> Validate(JsonObject obj)
    {
        var errors = new List<FieldError>();
        var rootSchema = (JsonObject)schema.DeepClone();
        if (rootSchema["properties"] is JsonObject props)
        {
            foreach (var key in RootKeys)
            {
                props.Remove(key);
            }
        }

        var copy = (JsonObject)obj.DeepClone();
        foreach (var key in RootKeys)
        {
            copy.Remove(key);
        }

        if (rootSchema["required"] is JsonArray required)
        {
            rootSchema["required"] = new JsonArray(required.Where(r => !RootKeys.Contains(r?.GetValue<string>() ?? string.Empty)).Select(r => r?.DeepClone()).ToArray());
        }

        ValidateNode(copy, rootSchema, string.Empty, errors);
        return errors;
    }

    private static void PruneObject(JsonNode? node, JsonObject s, string path, List<string> pruned, bool root = false)
    {
        switch (node)
        {
            case JsonObject o:
                var preserve = s["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
                var props = s["properties"] as JsonObject;
                var additional = s["additionalProperties"];
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    var child = Child(path, key);
                    if (root && RootKeys.Contains(key))
                    {
                        continue;
                    }

                    if (props?[key] is JsonObject ps)
                    {
                        PruneObject(o[key], ps, child, pruned);
                    }
                    else if (additional is JsonObject additionalSchema)
                    {
                        PruneObject(o[key], additionalSchema, child, pruned);
                    }
                    else if (!preserve && !(additional is JsonValue av && av.TryGetValue<bool>(out var allow) && allow))
                    {
                        o.Remove(key);
                        pruned.Add(child);
                    }
                }

                break;
            case JsonArray a when s["items"] is JsonObject itemSchema:
                for (var i = 0; i < a.Count; i++)
                {
                    PruneObject(a[i], itemSchema, $"{path}[{i}]", pruned);
                }

                break;
        }
    }

    private static void Default(JsonNode? node, JsonObject s)
    {
        switch (node)
        {
            case JsonObject o:
                var props = s["properties"] as JsonObject;
                if (props is not null)
                {
                    foreach (var (key, value) in props)
                    {
                        if (value is JsonObject ps && !o.ContainsKey(key) && ps["default"] is { } def)
                        {
                            o[key] = def.DeepClone();
                        }
                    }

                    foreach (var (key, value) in props)
                    {
                        if (value is JsonObject ps && o[key] is { } child)
                        {
                            Default(child, ps);
                        }
                    }
                }

                if (s["additionalProperties"] is JsonObject additional)
                {
                    foreach (var (key, child) in o.ToList())
                    {
                        if (props?.ContainsKey(key) != true)
                        {
                            Default(child, additional);
                        }
                    }
                }

                break;
            case JsonArray a when s["items"] is JsonObject itemSchema:
                foreach (var item in a)
                {
                    Default(item, itemSchema);
                }

                break;
        }
    }

    private static void ValidateNode(JsonNode? node, JsonObject s, string path, List<FieldError> errors)
    {
        var display = path.Length == 0 ? "<root>" : path;
        var type = s["type"]?.GetValue<string>();
        var intOrString = s["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;
        if (node is null)
        {
            if (s["nullable"]?.GetValue<bool>() != true && (type is not null || intOrString))
            {
                errors.Add(FieldError.TypeInvalid(display, JsonValue.Create("null"), $"{display} in body must be of type {type ?? "integer-or-string"}: \"null\""));
            }

            return;
        }

        var actual = TypeName(node);
        if (intOrString)
        {
            if (actual is not ("integer" or "string"))
            {
                errors.Add(FieldError.TypeInvalid(display, JsonValue.Create(actual), $"{display} in body must be of type integer-or-string: \"{actual}\""));
                return;
            }
        }
        else if (type is not null && !(type == actual || (type == "number" && actual == "integer")))
        {
            errors.Add(FieldError.TypeInvalid(display, JsonValue.Create(actual), $"{display} in body must be of type {type}: \"{actual}\""));
            return;
        }

        if (s["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            errors.Add(FieldError.NotSupported(display, node, allowed.Select(ApiException.Quote)));
        }

        switch (node)
        {
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = v.GetValue<string>();
                var length = text.EnumerateRunes().Count();
                if (Number(s, "minLength") is { } minLength && length < minLength)
                {
                    errors.Add(FieldError.Invalid(display, node, $"{display} in body should be at least {minLength} chars long"));
                }

                if (Number(s, "maxLength") is { } maxLength && length > maxLength)
                {
                    errors.Add(FieldError.Invalid(display, node, $"{display} in body may not be longer than {maxLength}"));
                }

                if (s["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
                {
                    errors.Add(FieldError.Invalid(display, node, $"{display} in body should match '{pattern}'"));
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                var number = v.GetValue<double>();
                var exclusiveMin = s["exclusiveMinimum"]?.GetValue<bool>() == true;
                var exclusiveMax = s["exclusiveMaximum"]?.GetValue<bool>() == true;
                if (Number(s, "minimum") is { } min && (exclusiveMin ? number <= min : number < min))
                {
                    errors.Add(FieldError.Invalid(display, node, $"{display} in body should be greater than {(exclusiveMin ? string.Empty : "or equal to ")}{ApiException.Format(min)}"));
                }

                if (Number(s, "maximum") is { } max && (exclusiveMax ? number >= max : number > max))
                {
                    errors.Add(FieldError.Invalid(display, node, $"{display} in body should be less than {(exclusiveMax ? string.Empty : "or equal to ")}{ApiException.Format(max)}"));
                }

                break;
            case JsonArray a:
                if (Number(s, "minItems") is { } minItems && a.Count < minItems)
                {
                    errors.Add(FieldError.Invalid(display, JsonValue.Create(a.Count), $"{display} in body should have at least {minItems} items"));
                }

                if (Number(s, "maxItems") is { } maxItems && a.Count > maxItems)
                {
                    errors.Add(new FieldError("FieldValueTooMany", display, $"Too many: {a.Count}: must have at most {maxItems} items"));
                }

                if (s["items"] is JsonObject itemSchema)
                {
                    for (var i = 0; i < a.Count; i++)
                    {
                        ValidateNode(a[i], itemSchema, $"{path}[{i}]", errors);
                    }
                }

                break;
            case JsonObject o:
                if (s["required"] is JsonArray required)
                {
                    foreach (var r in required)
                    {
                        var name = r?.GetValue<string>();
                        if (name is not null && !o.ContainsKey(name))
                        {
                            errors.Add(FieldError.Required(Child(path, name)));
                        }
                    }
                }

                if (Number(s, "minProperties") is { } minProps && o.Count < minProps)
                {
                    errors.Add(FieldError.Invalid(display, JsonValue.Create(o.Count), $"{display} in body should have at least {minProps} properties"));
                }

                if (Number(s, "maxProperties") is { } maxProps && o.Count > maxProps)
                {
                    errors.Add(FieldError.Invalid(display, JsonValue.Create(o.Count), $"{display} in body should have at most {maxProps} properties"));
                }

                var props = s["properties"] as JsonObject;
                foreach (var (key, child) in o)
                {
                    if (props?[key] is JsonObject ps)
                    {
                        ValidateNode(child, ps, Child(path, key), errors);
                    }
                    else if (s["additionalProperties"] is JsonObject additional)
                    {
                        ValidateNode(child, additional, Child(path, key), errors);
                    }
                }

                break;
        }
    }

    private static string Child(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static double? Number(JsonObject s, string name) =>
        s[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;

    private static string TypeName(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => IsInteger(v) ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    private static bool IsInteger(JsonValue v)
    {
        if (v.TryGetValue<long>(out _) || v.TryGetValue<int>(out _))
        {
            return true;
        }

        var d = v.GetValue<double>();
        return Math.Abs(d % 1) < double.Epsilon && d.ToString(CultureInfo.InvariantCulture).IndexOfAny(['.', 'E', 'e']) < 0;
    }
}
