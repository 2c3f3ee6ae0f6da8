using Csi.Kubernetes.Models;

namespace Csi.Provisioner.Controllers;

/// <summary>Where the controllers' Events go (the shared EventRecorder in the binary; a list in unit tests).</summary>
public interface IEventSink
{
    void Record(ObjectReference involvedObject, string type, string reason, string message);
}
