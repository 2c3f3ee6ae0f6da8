namespace LocalVolume.Driver;

/// <summary>Which CSI services one process serves.</summary>
public enum DriverMode
{
    /// <summary>Identity, Controller and Node: one process for a single node, and for tests.</summary>
    All,

    /// <summary>Identity and Controller, beside the node-deployment provisioner.</summary>
    Controller,

    /// <summary>Identity and Node, in the node's DaemonSet pod.</summary>
    Node,
}
