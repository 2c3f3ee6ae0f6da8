using System.Text.Json;
using System.Text.Json.Nodes;
using Csi.Sandboxes.Vault.Internal;
using Microsoft.AspNetCore.Http;

namespace Csi.Sandboxes.Vault;

/// <summary>Request handling: namespace and token resolution, faults, bodies and responses in Vault's shapes.</summary>
public sealed partial class VaultSandbox
{
    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var method = request.Method.ToUpperInvariant();
        var rawPath = request.Path.Value ?? "/";
        var namespaceHeader = request.Headers["X-Vault-Namespace"].ToString();
        var token = request.Headers["X-Vault-Token"].ToString();
        if (token.Length == 0)
        {
            var authorization = request.Headers.Authorization.ToString();
            if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                token = authorization[7..].Trim();
            }
        }

        var delay = _faults.TakeDelay(method, rawPath);
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        VaultResponse response;
        string resolvedNamespace;
        if (_faults.TakeFailure(method, rawPath) is { } injected)
        {
            response = injected;
            resolvedNamespace = VaultCore.NormalizeNamespace(namespaceHeader);
        }
        else
        {
            var (body, bodyError) = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
            try
            {
                (response, resolvedNamespace) = _core.Process(new IncomingRequest
                {
                    Method = method,
                    RawPath = rawPath,
                    Query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
                    NamespaceHeader = namespaceHeader.Length > 0 ? namespaceHeader : null,
                    Token = token.Length > 0 ? token : null,
                    Body = body,
                    BodyError = bodyError,
                });
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or System.Security.Cryptography.CryptographicException or KeyNotFoundException)
            {
                // A sandbox bug or a factory that threw: answer like Vault's ErrInternalError and say why on the log writer.
                response = VaultResponse.Error(500, "internal error");
                resolvedNamespace = VaultCore.NormalizeNamespace(namespaceHeader);
                LogLine($"sandbox error handling {method} {rawPath}: {e.GetType().Name}: {e.Message}");
            }
        }

        _log.Add(new VaultRequestLogEntry(
            DateTimeOffset.UtcNow,
            method,
            rawPath,
            namespaceHeader.Length > 0 ? namespaceHeader : null,
            resolvedNamespace,
            response.Status,
            token.Length > 0,
            response.Injected));
        LogLine($"{method} {rawPath}{(resolvedNamespace.Length > 0 ? " ns=" + resolvedNamespace : string.Empty)} -> {response.Status}{(response.Injected ? " (injected)" : string.Empty)}");

        await WriteAsync(context.Response, response, context.RequestAborted).ConfigureAwait(false);
    }

    private void LogLine(string line)
    {
        if (_console is null)
        {
            return;
        }

        lock (_consoleGate)
        {
            _console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {line}");
        }
    }

    private static async Task<(JsonObject? Body, string? Error)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0)
        {
            return (null, null);
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (buffer.Length == 0)
        {
            return (null, null);
        }

        try
        {
            var node = JsonNode.Parse(buffer.ToArray());
            return node switch
            {
                JsonObject o => (o, null),
                null => (null, null),
                _ => (null, $"json: cannot unmarshal {node.GetValueKind().ToString().ToLowerInvariant()} into Go value of type map[string]interface {{}}"),
            };
        }
        catch (JsonException e)
        {
            return (null, e.Message);
        }
    }

    private static async Task WriteAsync(HttpResponse http, VaultResponse response, CancellationToken cancellationToken)
    {
        http.StatusCode = response.Status;
        http.Headers.CacheControl = "no-store";
        if (response.Status == 204)
        {
            return;
        }

        if (response.ContentType is not null)
        {
            http.ContentType = response.ContentType;
        }

        var text = response.Json is not null ? response.Json.ToJsonString(JsonOptions) + "\n" : response.Raw ?? string.Empty;
        if (text.Length > 0)
        {
            await http.WriteAsync(text, cancellationToken).ConfigureAwait(false);
        }
    }
}
