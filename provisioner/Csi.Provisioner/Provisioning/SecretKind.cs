namespace Csi.Provisioner.Provisioning;

/// <summary>The secrets a StorageClass can name, each by a <c>csi.storage.k8s.io/&lt;kind&gt;-secret-{name,namespace}</c> pair.</summary>
public enum SecretKind
{
    Provisioner,
    ControllerPublish,
    NodeStage,
    NodePublish,
    ControllerExpand,
    NodeExpand,
    ControllerModify,
}
