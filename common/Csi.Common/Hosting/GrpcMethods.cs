using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Csi.Common.Hosting;

/// <summary>
/// Serves gRPC methods from a table each host writes out: the methods it implements, each checked against the
/// generated service descriptor and bound to one service instance made at start. The stock discovery of ASP.NET
/// Core gRPC finds the generated <c>BindService</c> by reflection, binds every method of the contract through a
/// generic virtual method and makes a new service object per call; in a Native AOT binary those generic virtual
/// calls build code at run time, about a third of a node binary's start-up CPU. Methods left out of the table answer
/// UNIMPLEMENTED, as the generated base class does. Every method is routed under one marker service type,
/// <see cref="BoundMethods"/>.
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
