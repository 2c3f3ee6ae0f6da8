using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Csi.Common.Hosting;

/// <summary>
/// The unary methods one host serves. A method is named by its service's full name and its own name, as on the
/// wire; the generated descriptors are not read at start, because reading one builds the whole file's descriptor
/// graph (for csi.proto with descriptor.proto: 3.5 MB allocated and about 2 MB kept for the life of the process).
/// Tests hold each host's table to the contract with <see cref="GrpcMethods.ContractMismatches"/>.
/// </summary>
public sealed class GrpcMethodTable
{
    private readonly ServiceMethodProviderContext<GrpcMethods.BoundMethods> _context;

    internal GrpcMethodTable(ServiceMethodProviderContext<GrpcMethods.BoundMethods> context)
    {
        _context = context;
    }

    /// <summary>Serves <paramref name="name"/> of <paramref name="service"/> (a full name such as <c>csi.v1.Node</c>) with <paramref name="handler"/>.</summary>
    public GrpcMethodTable Unary<TRequest, TResponse>(string service, string name, UnaryServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(handler);
        var method = new Method<TRequest, TResponse>(MethodType.Unary, service, name, ProtobufMarshaller<TRequest>.Instance, ProtobufMarshaller<TResponse>.Instance);
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
