namespace Csi.EndToEnd.Tests;

/// <summary>End-to-end tests start processes and bind sockets: they run one class at a time.</summary>
[CollectionDefinition(nameof(EndToEnd), DisableParallelization = true)]
public sealed class EndToEnd;
