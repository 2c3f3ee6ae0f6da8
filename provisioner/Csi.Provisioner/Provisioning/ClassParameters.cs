namespace Csi.Provisioner.Provisioning;

/// <summary>
/// A StorageClass's parameters split as upstream splits them: the <c>csi.storage.k8s.io/</c> keys (fstype and the
/// secret templates) are the provisioner's and are removed; everything else goes to the driver unchanged.
/// </summary>
public sealed class ClassParameters
{
    public const string Prefix = "csi.storage.k8s.io/";
    public const string FsTypeKey = Prefix + "fstype";
    public const string PvcNameKey = Prefix + "pvc/name";
    public const string PvcNamespaceKey = Prefix + "pvc/namespace";
    public const string PvNameKey = Prefix + "pv/name";

    private static readonly (SecretKind Kind, string Stem)[] SecretStems =
    [
        (SecretKind.Provisioner, "provisioner"),
        (SecretKind.ControllerPublish, "controller-publish"),
        (SecretKind.NodeStage, "node-stage"),
        (SecretKind.NodePublish, "node-publish"),
        (SecretKind.ControllerExpand, "controller-expand"),
        (SecretKind.NodeExpand, "node-expand"),
        (SecretKind.ControllerModify, "controller-modify"),
    ];

    private ClassParameters(string? fsType, Dictionary<string, string> driverParameters, Dictionary<SecretKind, SecretTemplate> secrets)
    {
        FsType = fsType;
        DriverParameters = driverParameters;
        Secrets = secrets;
    }

    /// <summary>csi.storage.k8s.io/fstype (or the legacy "fstype" key, which stays a driver parameter as upstream keeps it).</summary>
    public string? FsType { get; }

    public IReadOnlyDictionary<string, string> DriverParameters { get; }

    public IReadOnlyDictionary<SecretKind, SecretTemplate> Secrets { get; }

    /// <exception cref="ProvisioningException">an unknown csi.storage.k8s.io/ key, or a secret name without its namespace.</exception>
    public static ClassParameters Parse(string className, IReadOnlyDictionary<string, string>? parameters)
    {
        parameters ??= new Dictionary<string, string>();
        var known = new HashSet<string>(StringComparer.Ordinal) { FsTypeKey, Prefix + "secret-name", Prefix + "secret-namespace" };
        foreach (var (_, stem) in SecretStems)
        {
            known.Add($"{Prefix}{stem}-secret-name");
            known.Add($"{Prefix}{stem}-secret-namespace");
        }

        var driver = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in parameters)
        {
            if (!key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                driver[key] = value;
            }
            else if (!known.Contains(key))
            {
                throw new ProvisioningException($"StorageClass \"{className}\": parameter \"{key}\" is not a key the provisioner knows; the {Prefix} prefix is reserved (known: fstype and <provisioner|controller-publish|node-stage|node-publish|controller-expand|node-expand|controller-modify>-secret-<name|namespace>): remove or rename it");
            }
        }

        string? fsType = parameters.TryGetValue(FsTypeKey, out var fs) && fs.Length > 0 ? fs
            : parameters.TryGetValue("fstype", out var legacy) && legacy.Length > 0 ? legacy : null;

        var secrets = new Dictionary<SecretKind, SecretTemplate>();
        parameters.TryGetValue(Prefix + "secret-name", out var defaultName);
        parameters.TryGetValue(Prefix + "secret-namespace", out var defaultNamespace);
        foreach (var (kind, stem) in SecretStems)
        {
            var nameKey = $"{Prefix}{stem}-secret-name";
            var namespaceKey = $"{Prefix}{stem}-secret-namespace";
            var hasName = parameters.TryGetValue(nameKey, out var name);
            var hasNamespace = parameters.TryGetValue(namespaceKey, out var ns);
            if (!hasName && !hasNamespace && defaultName is not null && defaultNamespace is not null)
            {
                (nameKey, name, namespaceKey, ns, hasName, hasNamespace) = (Prefix + "secret-name", defaultName, Prefix + "secret-namespace", defaultNamespace, true, true);
            }
            if (hasName != hasNamespace)
            {
                var missing = hasName ? namespaceKey : nameKey;
                var present = hasName ? nameKey : namespaceKey;
                throw new ProvisioningException($"StorageClass \"{className}\": parameter \"{present}\" is set but \"{missing}\" is not; set both or neither");
            }
            if (hasName)
            {
                secrets[kind] = new SecretTemplate(nameKey, name!, namespaceKey, ns!);
            }
        }
        if ((defaultName is null) != (defaultNamespace is null))
        {
            throw new ProvisioningException($"StorageClass \"{className}\": parameters \"{Prefix}secret-name\" and \"{Prefix}secret-namespace\" go together; set both or neither");
        }
        return new ClassParameters(fsType, driver, secrets);
    }
}
