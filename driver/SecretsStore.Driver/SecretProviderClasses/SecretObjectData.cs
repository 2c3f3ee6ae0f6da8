namespace SecretsStore.Driver.SecretProviderClasses;

/// <summary>One key of a synced Secret and the mounted file it comes from.</summary>
public sealed record SecretObjectData(string ObjectName, string Key);
