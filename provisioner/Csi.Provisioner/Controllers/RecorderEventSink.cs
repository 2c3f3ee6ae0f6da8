using Csi.Kubernetes.Events;
using Csi.Kubernetes.Models;

namespace Csi.Provisioner.Controllers;

/// <summary>The controllers' events through the shared <see cref="EventRecorder"/>.</summary>
public sealed class RecorderEventSink(EventRecorder recorder) : IEventSink
{
    public void Record(ObjectReference involvedObject, string type, string reason, string message)
        => recorder.Record(involvedObject, type, reason, message);
}
