using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Csi.Sandboxes.Azure;

/// <summary>The Key Vault data plane: secrets, keys and certificates, versions, bearer challenge and throttling.</summary>
public sealed partial class KeyVaultSandbox
{
    private async Task HandleVaultAsync(HttpContext context, string vaultName)
    {
        var request = context.Request;
        if (!_vaults.TryGetValue(vaultName, out var vault))
        {
            // A real client would fail DNS resolution; a plain 404 is the closest loopback answer.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (string.IsNullOrEmpty(request.Query["api-version"]))
        {
            await VaultErrorAsync(context, 400, "BadParameter", "The request URI contains an invalid or missing api-version query parameter.").ConfigureAwait(false);
            return;
        }

        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            await UnauthorizedAsync(context, vault, "AKV10000: Request is missing a Bearer or PoP token.").ConfigureAwait(false);
            return;
        }

        var problem = CheckToken(authorization["Bearer ".Length..].Trim(), vault, out var clientId);
        if (problem is not null)
        {
            await UnauthorizedAsync(context, vault, problem).ConfigureAwait(false);
            return;
        }

        if (TakeThrottle(out var retryAfter))
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await VaultErrorAsync(context, 429, "Throttled", "Operations per second limit reached. Please retry after the time given in the Retry-After header.").ConfigureAwait(false);
            return;
        }

        var segments = (request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length is < 2 or > 3 || segments[0] is not ("secrets" or "keys" or "certificates"))
        {
            await VaultErrorAsync(context, 400, "BadParameter", "The request URI is not a valid Key Vault object URI.").ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsGet(request.Method))
        {
            await VaultErrorAsync(context, 405, "MethodNotAllowed", $"The sandbox does not support {request.Method} on this URI.").ConfigureAwait(false);
            return;
        }

        var (collection, name) = (segments[0], segments[1]);
        var noun = collection switch { "secrets" => "secret", "keys" => "key", _ => "certificate" };
        if (!vault.IsAllowed(clientId))
        {
            await VaultErrorAsync(context, 403, "Forbidden",
                $"The user, group or application 'appid={clientId}' does not have {collection} {(segments.Length == 3 && segments[2] == "versions" ? "list" : "get")} permission on key vault '{vault.Name}'.",
                "AccessDenied").ConfigureAwait(false);
            return;
        }

        if (segments.Length == 3 && segments[2] == "versions")
        {
            await ListVersionsAsync(context, vault, collection, name).ConfigureAwait(false);
            return;
        }

        var version = segments.Length == 3 ? segments[2] : null;
        var stored = vault.Find(collection, name, version, out var bundle);
        if (stored is null || bundle is null)
        {
            var id = version is null ? name : $"{name}/{version}";
            var code = noun switch { "secret" => "SecretNotFound", "key" => "KeyNotFound", _ => "CertificateNotFound" };
            await VaultErrorAsync(context, 404, code,
                $"A {noun} with (name/id) {id} was not found in this key vault. If you recently deleted this {noun} you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182").ConfigureAwait(false);
            return;
        }

        if (!stored.Enabled && collection == "secrets")
        {
            await VaultErrorAsync(context, 403, "Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled").ConfigureAwait(false);
            return;
        }

        await JsonAsync(context, 200, bundle).ConfigureAwait(false);
    }

    private static async Task ListVersionsAsync(HttpContext context, SandboxVault vault, string collection, string name)
    {
        var query = context.Request.Query;
        var pageSize = 25;
        if (!string.IsNullOrEmpty(query["maxresults"]))
        {
            if (!int.TryParse(query["maxresults"], out pageSize) || pageSize is < 1 or > 25)
            {
                await VaultErrorAsync(context, 400, "BadParameter", "Invalid value for maxresults: it must be between 1 and 25.").ConfigureAwait(false);
                return;
            }
        }

        var skip = 0;
        if (!string.IsNullOrEmpty(query["$skiptoken"]) && !int.TryParse(query["$skiptoken"], out skip))
        {
            await VaultErrorAsync(context, 400, "BadParameter", "Invalid $skiptoken.").ConfigureAwait(false);
            return;
        }

        var all = vault.ListVersions(collection, name);
        var page = new JsonArray(all.Skip(skip).Take(pageSize).Select(JsonNode (v) => v).ToArray());
        string? next = null;
        if (skip + pageSize < all.Count)
        {
            var apiVersion = Uri.EscapeDataString(query["api-version"].ToString());
            next = $"https://{context.Request.Host.Value}/{collection}/{name}/versions?api-version={apiVersion}&$skiptoken={skip + pageSize}&maxresults={pageSize}";
        }

        await JsonAsync(context, 200, new JsonObject { ["value"] = page, ["nextLink"] = next }).ConfigureAwait(false);
    }

    private string? CheckToken(string token, SandboxVault vault, out string? clientId)
    {
        clientId = null;
        if (!_tokens.TryGetValue(token, out var issued))
        {
            return "AKV10022: Invalid token: the token was not issued by this sandbox's Azure AD.";
        }

        clientId = issued.ClientId;
        if (issued.ExpiresAt <= TimeProvider.GetUtcNow())
        {
            return "AKV10032: Invalid token: the token has expired.";
        }

        if (!string.Equals(issued.Audience.TrimEnd('/'), VaultResource, StringComparison.OrdinalIgnoreCase))
        {
            return $"AKV10022: Invalid audience. Expected {VaultResource}, found: {issued.Audience}.";
        }

        if (!string.Equals(issued.TenantId, vault.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            return $"AKV10032: Invalid issuer. Expected one of https://sts.windows.net/{vault.TenantId}/, found https://sts.windows.net/{issued.TenantId}/.";
        }

        return null;
    }

    private bool TakeThrottle(out TimeSpan retryAfter)
    {
        lock (_faultGate)
        {
            retryAfter = _throttleRetryAfter;
            if (_throttleRemaining > 0)
            {
                _throttleRemaining--;
                return true;
            }

            return false;
        }
    }

    private Task UnauthorizedAsync(HttpContext context, SandboxVault vault, string message)
    {
        var authority = new Uri(AuthorityHost, vault.TenantId);
        context.Response.Headers.WWWAuthenticate = $"Bearer authorization=\"{authority.ToString().TrimEnd('/')}\", resource=\"{VaultResource}\"";
        return VaultErrorAsync(context, 401, "Unauthorized", message);
    }

    private static Task VaultErrorAsync(HttpContext context, int status, string code, string message, string? innerCode = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (innerCode is not null)
        {
            error["innererror"] = new JsonObject { ["code"] = innerCode };
        }

        return JsonAsync(context, status, new JsonObject { ["error"] = error });
    }

    // ================================================================== Azure AD
}
