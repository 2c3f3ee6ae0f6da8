namespace Csi.Provisioner.Provisioning;

/// <summary>A secret's name and namespace as the StorageClass writes them, before templates are resolved.</summary>
public sealed record SecretTemplate(string NameKey, string NameTemplate, string NamespaceKey, string NamespaceTemplate);
