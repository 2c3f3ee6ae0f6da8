using ProtoServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Csi.Common.Hosting;

/// <summary>
/// Serves gRPC methods from a table each host writes out: the methods it implements, each bound to one service
/// instance made at start. The stock discovery of ASP.NET Core gRPC finds the generated <c>BindService</c> by
/// reflection, binds every method of the contract through a generic virtual method and makes a new service object
/// per call; in a Native AOT binary those generic virtual calls build code at run time, about a third of a node
/// binary's start-up CPU. Methods left out of the table answer UNIMPLEMENTED, as the generated base class does.
/// Every method is routed under one marker service type, <see cref="BoundMethods"/>.
/// </summary>
public static class GrpcMethods
{
    /// <summary>
    /// Adds the methods <paramref name="describe"/> writes into the table when routes are built. Call after
    /// <c>AddGrpc</c>, then <see cref="MapGrpcMethods"/> once. The reflection-based discovery is removed, so a
    /// host serves all its gRPC methods this way or none.
    /// </summary>
    public static IServiceCollection AddGrpcMethods(this IServiceCollection services, Action<IServiceProvider, GrpcMethodTable> describe)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(describe);
        services.RemoveAll(typeof(IServiceMethodProvider<>));
        services.TryAddSingleton(BoundMethods.Instance);
        services.TryAddSingleton<ServedMethods>();
        services.AddSingleton<IServiceMethodProvider<BoundMethods>>(sp => new MethodProvider(context => describe(sp, new GrpcMethodTable(context, sp.GetRequiredService<ServedMethods>().List))));
        return services;
    }

    /// <summary>
    /// Each method the host of <paramref name="services"/> serves (once its routes are mapped) that
    /// <paramref name="contract"/> lacks, or declares streaming or with other message types, as a sentence; empty
    /// when the table matches. For tests: it reads the generated descriptors, which the binaries never do.
    /// </summary>
    public static IReadOnlyList<string> ContractMismatches(IServiceProvider services, params ProtoServiceDescriptor[] contract)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(contract);
        var served = services.GetRequiredService<ServedMethods>().List;
        if (served.Count == 0)
        {
            return ["no gRPC method is served: map the table first"];
        }
        var problems = new List<string>();
        foreach (var (service, name, request, response) in served)
        {
            var method = contract.FirstOrDefault(s => s.FullName == service)?.FindMethodByName(name);
            if (method is null)
            {
                problems.Add($"{service}/{name} is not in the contract");
            }
            else if (method.IsClientStreaming || method.IsServerStreaming || method.InputType.ClrType != request || method.OutputType.ClrType != response)
            {
                problems.Add($"{service}/{name} is not unary {request.Name} -> {response.Name} in the contract");
            }
        }
        return problems;
    }

    /// <summary>Maps every method added with <see cref="AddGrpcMethods"/>.</summary>
    public static GrpcServiceEndpointConventionBuilder MapGrpcMethods(this IEndpointRouteBuilder endpoints)
        => endpoints.MapGrpcService<BoundMethods>();

    /// <summary>The one service type the bound methods are routed under; its instance is never called.</summary>
    public sealed class BoundMethods
    {
        internal static readonly BoundMethods Instance = new();

        private BoundMethods()
        {
        }
    }

    private sealed class MethodProvider(Action<ServiceMethodProviderContext<BoundMethods>> describe) : IServiceMethodProvider<BoundMethods>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<BoundMethods> context) => describe(context);
    }

    /// <summary>The methods the table serves, by name and message types, for <see cref="ContractMismatches"/>.</summary>
    private sealed class ServedMethods
    {
        public List<ServedMethod> List { get; } = [];
    }
}
