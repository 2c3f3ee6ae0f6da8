using Csi.V1;

namespace SecretsStore.Driver.CsiServices;

/// <summary>CSI Controller: served so that every call answers Unimplemented, as the capability list says.</summary>
public sealed class ControllerService : Controller.ControllerBase
{
}
