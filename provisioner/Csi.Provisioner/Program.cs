using Csi.Provisioner;

return await ProvisionerHost.RunAsync(args, CancellationToken.None).ConfigureAwait(false);
