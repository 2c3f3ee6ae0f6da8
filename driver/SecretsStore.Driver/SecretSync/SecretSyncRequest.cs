using SecretsStore.Driver.Events;
using SecretsStore.Driver.SecretProviderClasses;

namespace SecretsStore.Driver.SecretSync;

/// <summary>A mounted volume whose class may declare Secrets to sync.</summary>
public sealed record SecretSyncRequest(string TargetPath, PodReference Pod, SecretProviderClass Class);
