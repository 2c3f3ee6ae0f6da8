using LocalVolume.Driver;

return await DriverHost.RunAsync(args).ConfigureAwait(false);
