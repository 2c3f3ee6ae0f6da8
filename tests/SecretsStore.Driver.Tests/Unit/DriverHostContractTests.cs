using Csi.Common.Hosting;
using Csi.Testing;
using Microsoft.Extensions.Logging;

namespace SecretsStore.Driver.Tests.Unit;

public sealed class DriverHostContractTests
{
    [Fact]
    public async Task Every_method_the_driver_serves_is_a_unary_method_of_the_csi_contract_with_its_message_types()
    {
        using var root = new TempDirectory("driver-contract-");
        var options = DriverOptions.Parse(["--endpoint", "unix://" + root.Combine("csi.sock"), "--nodeid", "node-1", "--spc-dir", root.Path, "--metrics-addr", ""]);
        await using var app = DriverHost.Build(options, TimeProvider.System, logging => logging.ClearProviders());

        Assert.Empty(GrpcMethods.ContractMismatches(app, Csi.V1.Identity.Descriptor, Csi.V1.Controller.Descriptor, Csi.V1.Node.Descriptor));
    }
}
