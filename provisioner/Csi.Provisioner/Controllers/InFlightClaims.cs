using System.Collections.Concurrent;
using Csi.Provisioner.Models;
using Csi.Provisioner.Provisioning;

namespace Csi.Provisioner.Controllers;

/// <summary>
/// Claims whose volume may exist without a PersistentVolume: CreateVolume ended without a final answer (a timeout,
/// the driver unreachable) or the PV write failed after it. Such a claim is worked on until the driver answers
/// for good, even when it is deleted meanwhile, so that a volume created for it is never left behind.
/// </summary>
public sealed class InFlightClaims
{
    private readonly ConcurrentDictionary<string, PersistentVolumeClaim> _claims = new(StringComparer.Ordinal);

    public int Count => _claims.Count;

    public PersistentVolumeClaim? Get(string key) => _claims.GetValueOrDefault(key);

    public IEnumerable<PersistentVolumeClaim> All => _claims.Values;

    /// <summary>Remembers <paramref name="claim"/> as it was when its CreateVolume was sent.</summary>
    public void Track(string key, PersistentVolumeClaim claim) => _claims[key] = claim;

    /// <summary>The driver gave a final answer for the claim with <paramref name="uid"/>: nothing more to learn.</summary>
    public void Settle(string key, string? uid)
    {
        if (_claims.TryGetValue(key, out var tracked) && tracked.Metadata.Uid == uid)
        {
            _claims.TryRemove(new KeyValuePair<string, PersistentVolumeClaim>(key, tracked));
        }
    }

    /// <summary>
    /// The claim a sync works on: the informer's, or the in-flight one when the informer's is gone, deleting, or a
    /// new claim of the same name. <c>Gone</c>: nobody waits for the volume any more.
    /// </summary>
    public static (PersistentVolumeClaim? Claim, bool Gone) Choose(PersistentVolumeClaim? cached, PersistentVolumeClaim? inFlight)
    {
        if (inFlight is null)
        {
            return (cached, false);
        }
        if (cached is null || cached.Metadata.Uid != inFlight.Metadata.Uid)
        {
            return (inFlight, true);
        }
        return (cached, cached.Metadata.DeletionTimestamp is not null);
    }

    /// <summary>Whether a CreateVolume that ended with <paramref name="error"/> leaves the claim in flight (the volume may exist).</summary>
    /// <returns>true: keep working on it; false: the driver answered for good; null: the call was not made, nothing changed.</returns>
    public static bool? StaysInFlight(Exception error, bool canReschedule)
        => error is ProvisioningException ? null : FailureClassifier.Classify(error, canReschedule) == FailureKind.InBackground;
}
