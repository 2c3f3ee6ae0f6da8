using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Csi.Sandboxes.Common;

/// <summary>
/// A loopback HTTP forward proxy for processes that reach a sandbox through the standard <c>HTTPS_PROXY</c> /
/// <c>HTTP_PROXY</c> settings: <c>CONNECT host:port</c> tunnels and absolute-form plain requests are connected to
/// the loopback port <see cref="Start"/>'s route picks for the host and port the client asked
/// for. Host names stay real for the client (TLS names, Host headers), nothing touches DNS.
/// </summary>
public sealed class ForwardProxy : IAsyncDisposable
{
    private const int MaxHeadBytes = 16 * 1024;

    private readonly TcpListener _listener;
    private readonly Func<string, int, int?> _route;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _targets = new();
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private Task? _acceptLoop;

    private ForwardProxy(TcpListener listener, Func<string, int, int?> route)
    {
        _listener = listener;
        _route = route;
    }

    /// <summary>The proxy's address, for <c>HTTPS_PROXY</c> / <c>HTTP_PROXY</c>.</summary>
    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Every <c>host:port</c> a client asked for, in order (refused ones included).</summary>
    public IReadOnlyList<string> Targets => _targets.ToArray();

    /// <summary>
    /// Starts the proxy. <paramref name="route"/> maps the requested host and port to a loopback port, or null to
    /// refuse with 502.
    /// </summary>
    public static ForwardProxy Start(Func<string, int, int?> route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var proxy = new ForwardProxy(listener, route);
        proxy._acceptLoop = Task.Run(proxy.AcceptLoopAsync);
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        await Task.WhenAll(_connections.Keys).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var task = ServeAsync(client);
            _connections[task] = 0;
            _ = task.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var clientStream = new NetworkStream(client, ownsSocket: true);
        try
        {
            var (head, extra) = await ReadHeadAsync(clientStream).ConfigureAwait(false);
            if (head is null)
            {
                return;
            }

            var requestLine = head[..head.IndexOf("\r\n", StringComparison.Ordinal)];
            var parts = requestLine.Split(' ');
            if (parts.Length != 3)
            {
                await RespondAsync(clientStream, "400 Bad Request").ConfigureAwait(false);
                return;
            }

            var connect = parts[0].Equals("CONNECT", StringComparison.OrdinalIgnoreCase);
            string host;
            int port;
            if (connect)
            {
                var colon = parts[1].LastIndexOf(':');
                host = colon > 0 ? parts[1][..colon] : parts[1];
                port = colon > 0 && int.TryParse(parts[1][(colon + 1)..], out var p) ? p : 443;
            }
            else if (Uri.TryCreate(parts[1], UriKind.Absolute, out var target))
            {
                host = target.Host;
                port = target.Port;
            }
            else
            {
                await RespondAsync(clientStream, "400 Bad Request").ConfigureAwait(false);
                return;
            }

            _targets.Enqueue($"{host}:{port}");
            var loopbackPort = _route(host.Trim('[', ']'), port);
            if (loopbackPort is null)
            {
                await RespondAsync(clientStream, "502 Bad Gateway").ConfigureAwait(false);
                return;
            }

            using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await upstream.ConnectAsync(new IPEndPoint(IPAddress.Loopback, loopbackPort.Value), _stop.Token).ConfigureAwait(false);
            using var upstreamStream = new NetworkStream(upstream, ownsSocket: false);
            if (connect)
            {
                await RespondAsync(clientStream, "200 Connection Established", close: false).ConfigureAwait(false);
            }
            else
            {
                // An absolute-form request goes on as it is: the server accepts absolute-form targets.
                await upstreamStream.WriteAsync(Encoding.Latin1.GetBytes(head), _stop.Token).ConfigureAwait(false);
            }

            if (extra.Length > 0)
            {
                await upstreamStream.WriteAsync(extra, _stop.Token).ConfigureAwait(false);
            }

            var up = PumpAsync(clientStream, upstreamStream);
            var down = PumpAsync(upstreamStream, clientStream);
            await Task.WhenAny(up, down).ConfigureAwait(false);
            upstream.Shutdown(SocketShutdown.Both);
            client.Shutdown(SocketShutdown.Both);
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client or the sandbox went away; the connection is simply over.
        }
    }

    private async Task PumpAsync(Stream from, Stream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token).ConfigureAwait(false)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task<(string? Head, byte[] Extra)> ReadHeadAsync(Stream stream)
    {
        var buffer = new byte[MaxHeadBytes];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), _stop.Token).ConfigureAwait(false);
            if (read == 0)
            {
                return (null, []);
            }

            filled += read;
            var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return (Encoding.Latin1.GetString(buffer, 0, end + 4), buffer[(end + 4)..filled]);
            }
        }

        return (null, []);
    }

    private async Task RespondAsync(Stream stream, string status, bool close = true)
    {
        var text = $"HTTP/1.1 {status}\r\n" + (close ? "Connection: close\r\nContent-Length: 0\r\n" : string.Empty) + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), _stop.Token).ConfigureAwait(false);
    }
}
