using Csi.Common.Hosting;
using Csi.Testing;

namespace LocalVolume.Driver.Tests.Unit;

public sealed class DriverHostContractTests
{
    [Fact]
    public async Task Every_method_the_driver_serves_is_a_unary_method_of_the_csi_contract_with_its_message_types()
    {
        using var root = new TempDirectory("lv-contract-");
        var options = DriverOptions.Parse([
            "--mode=all", "--nodeid", "n1", "--endpoint", "unix://" + root.Combine("csi.sock"), "--metrics-addr=",
            "--pool", $"name=p,dir={root.Path},size=1Gi,layout=image",
        ]);
        await using var app = DriverHost.Build(options);

        Assert.Empty(GrpcMethods.ContractMismatches(app, Csi.V1.Identity.Descriptor, Csi.V1.Controller.Descriptor, Csi.V1.Node.Descriptor));
    }
}
