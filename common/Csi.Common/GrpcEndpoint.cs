using System.Globalization;
using System.Net.Sockets;
using Grpc.Net.Client;

namespace Csi.Common;

/// <summary>
/// Turns a CSI-style endpoint string into a gRPC channel. Unix socket forms follow
/// kubernetes-csi/csi-lib-utils, so the flags our binaries take mean what the sidecars' flags mean.
/// </summary>
public static class GrpcEndpoint
{
    private const string UnixSchemeWithSlashes = "unix://";
    private const string UnixScheme = "unix:";
    private const string TcpScheme = "tcp://";
    private const string AcceptedForms =
        "unix:///abs/path, unix:/abs/path, unix://rel/path, /abs/path, tcp://host:port or host:port";

    public static GrpcChannel CreateChannel(string endpoint, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new GrpcChannelOptions();

        if (!TryGetUnixSocketPath(endpoint, out var socketPath))
        {
            return GrpcChannel.ForAddress(ParseTcpAddress(endpoint), options);
        }

        if (options.HttpHandler is not null || options.HttpClient is not null)
        {
            throw new ArgumentException("A unix socket endpoint brings its own HTTP handler; leave HttpHandler and HttpClient unset.", nameof(options));
        }

        options.HttpHandler = CreateUnixSocketHandler(socketPath);
        options.DisposeHttpClient = true;
        // The address only sets :authority. Servers on unix sockets (the upstream providers among them)
        // accept "localhost" and may reject anything else.
        return GrpcChannel.ForAddress("http://localhost", options);
    }

    public static string ParseUnixSocketPath(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return TryGetUnixSocketPath(endpoint, out var path)
            ? path
            : throw new ArgumentException($"Endpoint '{endpoint}' is not a unix socket; use unix:///abs/path, unix:/abs/path, unix://rel/path or /abs/path.");
    }

    private static bool TryGetUnixSocketPath(string endpoint, out string path)
    {
        if (endpoint.StartsWith('/'))
        {
            path = endpoint;
            return true;
        }

        // csi-lib-utils strips exactly "unix://", so unix:///a/b is /a/b and unix://a/b is the relative a/b.
        // Anything else starting "unix:" goes to gRPC's resolver there, which reads unix:/a/b as /a/b.
        string? rest = endpoint.StartsWith(UnixSchemeWithSlashes, StringComparison.Ordinal) ? endpoint[UnixSchemeWithSlashes.Length..]
            : endpoint.StartsWith(UnixScheme, StringComparison.Ordinal) ? endpoint[UnixScheme.Length..]
            : null;
        if (rest is null)
        {
            path = "";
            return false;
        }

        if (rest.Length == 0)
        {
            throw Invalid(endpoint);
        }

        path = rest;
        return true;
    }

    private static Uri ParseTcpAddress(string endpoint)
    {
        var hostPort = endpoint.StartsWith(TcpScheme, StringComparison.Ordinal) ? endpoint[TcpScheme.Length..] : endpoint;
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0
            || !int.TryParse(hostPort.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            throw Invalid(endpoint);
        }

        var host = hostPort[..colon];
        var bracketed = host.StartsWith('[') && host.EndsWith(']');
        if ((host.Contains(':', StringComparison.Ordinal) && !bracketed)
            || Uri.CheckHostName(bracketed ? host[1..^1] : host) == UriHostNameType.Unknown)
        {
            throw Invalid(endpoint);
        }

        return new Uri($"http://{host}:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    private static SocketsHttpHandler CreateUnixSocketHandler(string socketPath) => new()
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                // Name the socket: the HTTP layer only reports localhost:80.
                throw new IOException($"cannot connect to unix socket {socketPath}: {e.Message}", e);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    private static ArgumentException Invalid(string endpoint) =>
        new($"Endpoint '{endpoint}' is not valid; use {AcceptedForms}.");
}
