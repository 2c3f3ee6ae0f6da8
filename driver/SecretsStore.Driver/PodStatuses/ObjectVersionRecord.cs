namespace SecretsStore.Driver.PodStatuses;

/// <summary>An object id and the version the provider fetched.</summary>
public sealed record ObjectVersionRecord(string Id, string Version);
