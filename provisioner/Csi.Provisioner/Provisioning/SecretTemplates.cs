using System.Text;
using System.Text.RegularExpressions;
using Csi.Provisioner.Models;

namespace Csi.Provisioner.Provisioning;

/// <summary>
/// Resolves a secret's name and namespace templates as upstream does: the namespace may use <c>${pv.name}</c> and
/// <c>${pvc.namespace}</c>; the name also <c>${pvc.name}</c> and <c>${pvc.annotations['key']}</c>. The results must be
/// a DNS subdomain (name) and a DNS label (namespace).
/// </summary>
public static partial class SecretTemplates
{
    public static SecretReference Resolve(string className, SecretTemplate template, string pvName, PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(claim);
        var ns = Expand(className, template.NamespaceKey, template.NamespaceTemplate, pvName, claim, allowClaimName: false);
        var name = Expand(className, template.NameKey, template.NameTemplate, pvName, claim, allowClaimName: true);
        if (!DnsLabel().IsMatch(ns))
        {
            throw new ProvisioningException($"StorageClass \"{className}\": parameter \"{template.NamespaceKey}\" resolves to \"{ns}\", which is not a valid namespace name (a DNS label: lower-case letters, digits and '-', at most 63)");
        }
        if (name.Length > 253 || !DnsSubdomain().IsMatch(name))
        {
            throw new ProvisioningException($"StorageClass \"{className}\": parameter \"{template.NameKey}\" resolves to \"{name}\", which is not a valid Secret name (a DNS subdomain: lower-case letters, digits, '-' and '.')");
        }
        return new SecretReference { Name = name, Namespace = ns };
    }

    private static string Expand(string className, string key, string template, string pvName, PersistentVolumeClaim claim, bool allowClaimName)
    {
        var result = new StringBuilder();
        var position = 0;
        foreach (Match match in Placeholder().Matches(template))
        {
            result.Append(template, position, match.Index - position);
            position = match.Index + match.Length;
            var body = match.Groups[1].Value;
            if (body == "pv.name")
            {
                result.Append(pvName);
            }
            else if (body == "pvc.namespace")
            {
                result.Append(claim.Metadata.Namespace);
            }
            else if (allowClaimName && body == "pvc.name")
            {
                result.Append(claim.Metadata.Name);
            }
            else if (allowClaimName && AnnotationReference().Match(body) is { Success: true } annotation)
            {
                var annotationKey = annotation.Groups[1].Value;
                if (claim.Metadata.Annotations is null || !claim.Metadata.Annotations.TryGetValue(annotationKey, out var value))
                {
                    throw new ProvisioningException($"StorageClass \"{className}\": parameter \"{key}\" uses ${{pvc.annotations['{annotationKey}']}} but claim {claim.Metadata.Namespace}/{claim.Metadata.Name} has no annotation \"{annotationKey}\": add it to the claim");
                }
                result.Append(value);
            }
            else
            {
                var allowed = allowClaimName ? "${pv.name}, ${pvc.namespace}, ${pvc.name}, ${pvc.annotations['<key>']}" : "${pv.name}, ${pvc.namespace}";
                throw new ProvisioningException($"StorageClass \"{className}\": parameter \"{key}\" uses ${{{body}}}, which is not supported here; use {allowed}");
            }
        }
        result.Append(template, position, template.Length - position);
        return result.ToString();
    }

    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^pvc\.annotations\['([^']+)'\]$")]
    private static partial Regex AnnotationReference();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
