using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Csi.Sandboxes.Azure;

/// <summary>The instance metadata service's managed-identity tokens, and the JSON answers every endpoint shares.</summary>
public sealed partial class KeyVaultSandbox
{
    private async Task HandleImdsCoreAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) || !string.Equals(request.Path.Value, "/metadata/identity/oauth2/token", StringComparison.Ordinal))
        {
            await ImdsErrorAsync(context, 404, "not_found", "The requested IMDS path is not served by the sandbox.").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(request.Headers["Metadata"].ToString(), "true", StringComparison.OrdinalIgnoreCase))
        {
            await ImdsErrorAsync(context, 400, "invalid_request", "Required metadata header not specified").ConfigureAwait(false);
            return;
        }

        var resource = request.Query["resource"].ToString();
        if (string.IsNullOrEmpty(request.Query["api-version"]) || resource.Length == 0)
        {
            await ImdsErrorAsync(context, 400, "invalid_request", resource.Length == 0 ? "Required query variable 'resource' is missing" : "Required query variable 'api-version' is missing").ConfigureAwait(false);
            return;
        }

        var clientId = request.Query["client_id"].ToString();
        string? identity = clientId.Length > 0
            ? (_userAssignedIdentities.ContainsKey(clientId) || string.Equals(clientId, SystemAssignedClientId, StringComparison.OrdinalIgnoreCase) ? clientId : null)
            : SystemAssignedClientId;
        if (identity is null)
        {
            await ImdsErrorAsync(context, 400, "invalid_request", "Identity not found").ConfigureAwait(false);
            return;
        }

        var (token, lifetime) = Issue(TenantId, resource, identity);
        var now = TimeProvider.GetUtcNow();
        var seconds = ((long)lifetime.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await JsonAsync(context, 200, new JsonObject
        {
            ["access_token"] = token,
            ["client_id"] = identity,
            ["expires_in"] = seconds,
            ["expires_on"] = (now + lifetime).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ext_expires_in"] = seconds,
            ["not_before"] = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["resource"] = resource,
            ["token_type"] = "Bearer",
        }).ConfigureAwait(false);
    }

    private static Task ImdsErrorAsync(HttpContext context, int status, string error, string description) =>
        JsonAsync(context, status, new JsonObject { ["error"] = error, ["error_description"] = description });

    private static async Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString()).ConfigureAwait(false);
    }
}
