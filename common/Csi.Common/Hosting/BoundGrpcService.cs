using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Csi.Common.Hosting;

/// <summary>
/// Serves generated gRPC services from one instance each, made at start, their methods registered by each service's
/// generated <c>BindService</c> called directly. The stock discovery of ASP.NET Core gRPC finds <c>BindService</c> by
/// reflection, binds through a binder generic over the service type and makes a new service object per call. In a
/// Native AOT binary that binder's generic virtual methods are built at run time: a third of a node binary's start-up
/// CPU. Here the binder is one non-generic type (its instantiations are compiled ahead of time) and every bound
/// method is routed under one marker service type, <see cref="BoundMethods"/>.
/// </summary>
public static class BoundGrpcService
{
    /// <summary>
    /// Registers <typeparamref name="TService"/> as a singleton made by <paramref name="create"/>, its methods bound by
    /// <paramref name="bind"/> (the generated <c>BindService(ServiceBinderBase, TBase)</c>). Call after <c>AddGrpc</c>,
    /// then <see cref="MapBoundGrpcServices"/> once. The reflection-based discovery is removed, so a host either binds
    /// all its services this way or none.
    /// </summary>
    public static IServiceCollection AddBoundGrpcService<TService>(this IServiceCollection services, Func<IServiceProvider, TService> create, Action<ServiceBinderBase, TService> bind)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(bind);
        services.RemoveAll(typeof(IServiceMethodProvider<>));
        services.TryAddSingleton(BoundMethods.Instance);
        services.AddSingleton(create);
        services.AddSingleton<IServiceMethodProvider<BoundMethods>>(sp => new MethodProvider(binder => bind(binder, sp.GetRequiredService<TService>())));
        return services;
    }

    /// <summary>Maps every method of every service added with <see cref="AddBoundGrpcService{TService}"/>.</summary>
    public static GrpcServiceEndpointConventionBuilder MapBoundGrpcServices(this IEndpointRouteBuilder endpoints)
        => endpoints.MapGrpcService<BoundMethods>();

    /// <summary>The one service type the bound methods are routed under; its instance is never called.</summary>
    public sealed class BoundMethods
    {
        internal static readonly BoundMethods Instance = new();

        private BoundMethods()
        {
        }
    }

    private sealed class MethodProvider(Action<ServiceBinderBase> bind) : IServiceMethodProvider<BoundMethods>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<BoundMethods> context) => bind(new ContextBinder(context));
    }

    /// <summary>Hands each method the generated code binds to the routing context; the handlers are bound to the service's one instance.</summary>
    private sealed class ContextBinder(ServiceMethodProviderContext<BoundMethods> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var bound = Handler(method, handler);
            context.AddUnaryMethod(method, [], (_, request, call) => bound(request, call));
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var bound = Handler(method, handler);
            context.AddClientStreamingMethod(method, [], (_, requests, call) => bound(requests, call));
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var bound = Handler(method, handler);
            context.AddServerStreamingMethod(method, [], (_, request, responses, call) => bound(request, responses, call));
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var bound = Handler(method, handler);
            context.AddDuplexStreamingMethod(method, [], (_, requests, responses, call) => bound(requests, responses, call));
        }

        private static THandler Handler<THandler>(IMethod method, THandler? handler)
            where THandler : Delegate
            => handler ?? throw new InvalidOperationException($"{method.FullName}: BindService was given no service instance");
    }
}
