namespace Csi.Benchmarks;

/// <summary>Every figure of one run (the sections asked for with --only), and its markdown rendering.</summary>
internal sealed record BenchmarkReport(
    DriverReport? Driver,
    IReadOnlyList<VaultMountFigures>? VaultMount,
    IReadOnlyList<AzureMountFigures>? AzureMount,
    IReadOnlyList<AwsMountFigures>? AwsMount,
    IReadOnlyList<LocalVolumeFigures>? LocalVolume,
    IReadOnlyList<KubeClientFigures>? KubeClient = null,
    IReadOnlyList<MetricsLibraryFigures>? MetricsLibrary = null,
    IReadOnlyList<ProvisionerFigures>? Provisioner = null,
    IReadOnlyList<BinaryFigures>? Binaries = null)
{
    public string ToMarkdown()
    {
        var sections = new List<string>();
        if (Binaries is not null)
        {
            sections.Add(BinaryFigures.ToMarkdown(Binaries));
        }

        if (Driver is not null)
        {
            sections.Add(Driver.ToMarkdown());
        }

        if (VaultMount is not null)
        {
            sections.Add(VaultMountFigures.ToMarkdown(VaultMount));
        }

        if (AzureMount is not null)
        {
            sections.Add(AzureMountFigures.ToMarkdown(AzureMount));
        }

        if (AwsMount is not null)
        {
            sections.Add(AwsMountFigures.ToMarkdown(AwsMount));
        }

        if (LocalVolume is not null)
        {
            sections.Add(LocalVolumeFigures.ToMarkdown(LocalVolume));
        }

        if (KubeClient is not null)
        {
            sections.Add(KubeClientFigures.ToMarkdown(KubeClient));
        }

        if (MetricsLibrary is not null)
        {
            sections.Add(MetricsLibraryFigures.ToMarkdown(MetricsLibrary));
        }

        if (Provisioner is not null)
        {
            sections.Add(ProvisionerFigures.ToMarkdown(Provisioner));
        }

        return string.Join("\n", sections);
    }
}
