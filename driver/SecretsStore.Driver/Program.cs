using SecretsStore.Driver;

return await DriverHost.RunAsync(args).ConfigureAwait(false);
