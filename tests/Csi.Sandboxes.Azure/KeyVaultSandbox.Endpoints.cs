using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Csi.Sandboxes.Azure;

/// <summary>The listeners' dispatch: Key Vault over TLS, the token proxy, IMDS and NMI, and the request log.</summary>
public sealed partial class KeyVaultSandbox
{
    private async Task HandleHttpsAsync(HttpContext context)
    {
        var host = context.Request.Host.Host;
        var service = host.EndsWith("." + _options.VaultDnsSuffix, StringComparison.OrdinalIgnoreCase) ? "vault" : "aad";
        try
        {
            if (service == "vault")
            {
                await HandleVaultAsync(context, host[..host.IndexOf('.', StringComparison.Ordinal)]).ConfigureAwait(false);
            }
            else
            {
                await HandleAadAsync(context).ConfigureAwait(false);
            }
        }
        finally
        {
            Record(service, context);
        }
    }

    private async Task HandleTokenProxyAsync(HttpContext context)
    {
        try
        {
            // The proxy serves only its own name: a client that does not send it as SNI is misdirected.
            var sni = context.Features.Get<Microsoft.AspNetCore.Connections.Features.ITlsHandshakeFeature>()?.HostName;
            if (!string.Equals(sni, _options.TokenProxySniName, StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = 421;
                await context.Response.WriteAsync($"misdirected request: TLS server name '{sni}' is not {_options.TokenProxySniName}\n").ConfigureAwait(false);
                return;
            }

            await HandleAadAsync(context).ConfigureAwait(false);
        }
        finally
        {
            Record("tokenproxy", context);
        }
    }

    private async Task HandleImdsAsync(HttpContext context)
    {
        var nmi = (context.Request.Path.Value ?? string.Empty).StartsWith("/host/token", StringComparison.Ordinal);
        try
        {
            if (nmi)
            {
                await HandleNmiAsync(context).ConfigureAwait(false);
            }
            else
            {
                await HandleImdsCoreAsync(context).ConfigureAwait(false);
            }
        }
        finally
        {
            Record(nmi ? "nmi" : "imds", context);
        }
    }

    private async Task HandleNmiAsync(HttpContext context)
    {
        var request = context.Request;
        var podNamespace = request.Headers["podns"].ToString();
        var podName = request.Headers["podname"].ToString();
        var resource = request.Query["resource"].ToString();
        if (podNamespace.Length == 0 || podName.Length == 0 || resource.Length == 0)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("missing podns, podname or resource\n").ConfigureAwait(false);
            return;
        }

        if (!_podIdentities.TryGetValue($"{podNamespace}/{podName}", out var clientId))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync($"no AzureAssignedIdentity found for pod:{podNamespace}/{podName} in assigned state\n").ConfigureAwait(false);
            return;
        }

        var (token, lifetime) = Issue(TenantId, resource, clientId);
        var now = TimeProvider.GetUtcNow();
        await JsonAsync(context, 200, new JsonObject
        {
            ["token"] = new JsonObject
            {
                ["access_token"] = token,
                ["refresh_token"] = string.Empty,
                ["expires_in"] = ((long)lifetime.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["expires_on"] = (now + lifetime).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["not_before"] = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["resource"] = resource,
                ["token_type"] = "Bearer",
            },
            ["clientid"] = clientId,
        }).ConfigureAwait(false);
    }

    private void Record(string service, HttpContext context) =>
        _log.Enqueue(new KeyVaultRequest(
            service,
            context.Request.Method,
            context.Request.Host.Value ?? string.Empty,
            context.Request.Path.Value ?? "/",
            context.Response.StatusCode,
            context.Request.Headers.Authorization.Count > 0));

    // ================================================================== vault data plane
}
