using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Csi.Common.Hosting;

/// <summary>The unary methods one host serves, each named as in its generated service descriptor.</summary>
public sealed class GrpcMethodTable
{
    private readonly ServiceMethodProviderContext<GrpcMethods.BoundMethods> _context;

    internal GrpcMethodTable(ServiceMethodProviderContext<GrpcMethods.BoundMethods> context)
    {
        _context = context;
    }

    /// <summary>
    /// Serves <paramref name="name"/> of <paramref name="service"/> with <paramref name="handler"/>. Throws when the
    /// contract has no such unary method or its message types differ from <typeparamref name="TRequest"/> and
    /// <typeparamref name="TResponse"/>, so a misspelt table stops the binary at start.
    /// </summary>
    public GrpcMethodTable Unary<TRequest, TResponse>(ServiceDescriptor service, string name, UnaryServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(handler);
        var descriptor = service.FindMethodByName(name)
            ?? throw new ArgumentException($"gRPC service {service.FullName} has no method {name}", nameof(name));
        if (descriptor.IsClientStreaming || descriptor.IsServerStreaming
            || descriptor.InputType.ClrType != typeof(TRequest) || descriptor.OutputType.ClrType != typeof(TResponse))
        {
            throw new ArgumentException(
                $"{service.FullName}/{name} is not unary {typeof(TRequest).Name} -> {typeof(TResponse).Name} in the contract", nameof(name));
        }
        var method = new Method<TRequest, TResponse>(MethodType.Unary, service.FullName, name, ProtobufMarshaller<TRequest>.Instance, ProtobufMarshaller<TResponse>.Instance);
        _context.AddUnaryMethod(method, [], (_, request, call) => handler(request, call));
        return this;
    }

    /// <summary>Protobuf on the wire as the generated code writes it: straight into the transport's buffer, parsed from its sequence.</summary>
    private static class ProtobufMarshaller<T>
        where T : class, IMessage<T>, new()
    {
        private static readonly MessageParser<T> Parser = new(() => new T());

        public static readonly Marshaller<T> Instance = Marshallers.Create<T>(Serialize, context => Parser.ParseFrom(context.PayloadAsReadOnlySequence()));

        private static void Serialize(T message, SerializationContext context)
        {
            context.SetPayloadLength(message.CalculateSize());
            message.WriteTo(context.GetBufferWriter());
            context.Complete();
        }
    }
}
