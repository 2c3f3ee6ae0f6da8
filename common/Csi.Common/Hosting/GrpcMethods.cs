using ProtoServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
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
        services.AddSingleton<IServiceMethodProvider<BoundMethods>>(sp => new MethodProvider(table => describe(sp, table)));
        return services;
    }

    /// <summary>
    /// Each method routed under <see cref="BoundMethods"/> in <paramref name="endpoints"/> (once
    /// <see cref="MapGrpcMethods"/> has run) that <paramref name="contract"/> lacks, or declares streaming or with
    /// other message types, as a sentence; empty when the table matches. For tests: it reads the generated
    /// descriptors, which the binaries never do.
    /// </summary>
    public static IReadOnlyList<string> ContractMismatches(IEndpointRouteBuilder endpoints, params ProtoServiceDescriptor[] contract)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(contract);
        var routed = endpoints.DataSources.SelectMany(source => source.Endpoints)
            .Select(endpoint => endpoint.Metadata.GetMetadata<GrpcMethodMetadata>())
            .Where(metadata => metadata?.ServiceType == typeof(BoundMethods) && metadata.Method.GetType().IsGenericType)
            .Select(metadata => metadata!.Method)
            .ToList();
        if (routed.Count == 0)
        {
            return ["no gRPC method is served: map the table first"];
        }
        var problems = new List<string>();
        foreach (var served in routed)
        {
            // A served method is a Method<TRequest, TResponse>: its message types are its type arguments.
            var types = served.GetType().GetGenericArguments();
            var (request, response) = (types[0], types[1]);
            var declared = contract.FirstOrDefault(s => s.FullName == served.ServiceName)?.FindMethodByName(served.Name);
            if (declared is null)
            {
                problems.Add($"{served.ServiceName}/{served.Name} is not in the contract");
            }
            else if (served.Type != MethodType.Unary || declared.IsClientStreaming || declared.IsServerStreaming
                || declared.InputType.ClrType != request || declared.OutputType.ClrType != response)
            {
                problems.Add($"{served.ServiceName}/{served.Name} is not unary {request.Name} -> {response.Name} in the contract");
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

    private sealed class MethodProvider(Action<GrpcMethodTable> describe) : IServiceMethodProvider<BoundMethods>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<BoundMethods> context) => describe(new GrpcMethodTable(context));
    }
}
