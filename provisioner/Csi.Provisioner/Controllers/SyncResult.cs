namespace Csi.Provisioner.Controllers;

/// <summary>What the work queue does with a key after one sync.</summary>
public enum SyncResult
{
    /// <summary>Nothing more to do: forget the key's backoff.</summary>
    Done,

    /// <summary>Try again with the key's exponential backoff.</summary>
    Retry,

    /// <summary>Try again after --retry-interval-max (an infeasible request), or sooner if the class changes.</summary>
    RetrySlowly,
}
