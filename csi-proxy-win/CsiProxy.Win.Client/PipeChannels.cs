using System.IO.Pipes;
using Grpc.Net.Client;

namespace CsiProxy.Win.Client;

/// <summary>gRPC channels over the proxy's named pipes, one per group (\\.\pipe\csi-proxy-&lt;group&gt;-&lt;version&gt;).</summary>
public static class PipeChannels
{
    public static GrpcChannel For(ApiGroup group, string serverName = ".")
    {
        ArgumentNullException.ThrowIfNull(group);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var pipe = new NamedPipeClientStream(serverName, group.PipeName, PipeDirection.InOut, PipeOptions.Asynchronous);
                try
                {
                    await pipe.ConnectAsync(cancellationToken).ConfigureAwait(false);
                    return pipe;
                }
                catch (Exception e) when (e is IOException or TimeoutException or UnauthorizedAccessException)
                {
                    await pipe.DisposeAsync().ConfigureAwait(false);
                    // Name the pipe: the HTTP layer only reports localhost.
                    throw new IOException($"cannot connect to {group.PipePath}: {e.Message}", e);
                }
                catch
                {
                    await pipe.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            },
        };
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>Whether the group's pipe exists on this machine (on Windows; elsewhere there are no such pipes).</summary>
    public static bool Exists(ApiGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return OperatingSystem.IsWindows() && File.Exists(group.PipePath);
    }
}
