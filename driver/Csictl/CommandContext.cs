using Csi.Client;
using Google.Protobuf;
using Grpc.Core;

namespace Csictl;

/// <summary>What a command needs to run: the client, its flags, where to print and one deadline for all its calls.</summary>
internal sealed class CommandContext(CsiClient client, CommandLine line, TextWriter stdout, bool json, DateTime deadline)
{
    public CsiClient Client { get; } = client;

    public CommandLine Line { get; } = line;

    public TextWriter Stdout { get; } = stdout;

    public bool Json { get; } = json;

    public async Task<T> CallAsync<T>(string method, Func<CallOptions, AsyncUnaryCall<T>> call)
    {
        try
        {
            return await call(new CallOptions(deadline: deadline)).ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw new RpcFailedException(method, e);
        }
    }

    /// <summary>One response prints as itself; several print as one object keyed by method name.</summary>
    public void WriteJson(params (string Method, IMessage Response)[] responses)
    {
        if (responses.Length == 1)
        {
            Stdout.WriteLine(JsonFormatter.Default.Format(responses[0].Response));
            return;
        }

        var members = responses.Select(r => $"\"{r.Method}\": {JsonFormatter.Default.Format(r.Response)}");
        Stdout.WriteLine($"{{ {string.Join(", ", members)} }}");
    }
}
