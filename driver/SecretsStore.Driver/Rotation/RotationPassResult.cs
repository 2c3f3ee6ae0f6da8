namespace SecretsStore.Driver.Rotation;

/// <summary>
/// What one pass of the rotation reconciler did: volumes seen, due, and how each due one ended: fetched (whether
/// or not the files changed; rotation_reconcile_total's rotated label tells), no longer due when its turn came (a
/// kubelet republish got there first), failed (the last good content stays), or skipped (unpublished meanwhile).
/// </summary>
public sealed record RotationPassResult(int Volumes, int Due, int Fetched, int NotDue, int Failed, int Skipped)
{
    public static readonly RotationPassResult Empty = new(0, 0, 0, 0, 0, 0);
}
