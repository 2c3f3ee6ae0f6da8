using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Csi.Sandboxes.Azure.Internal;
using Csi.Sandboxes.Common;
using Microsoft.AspNetCore.Http;

namespace Csi.Sandboxes.Azure;

/// <summary>Microsoft Entra ID's token endpoint: client secrets, federated credentials (workload identity) and assertions.</summary>
public sealed partial class KeyVaultSandbox
{
    private async Task HandleAadAsync(HttpContext context)
    {
        var request = context.Request;
        var segments = (request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var authorityHost = $"{request.Scheme}://{request.Host.Value}";
        if (HttpMethods.IsGet(request.Method) && segments is [_, "discovery", "instance"])
        {
            await JsonAsync(context, 200, new JsonObject
            {
                ["tenant_discovery_endpoint"] = $"{authorityHost}/{TenantId}/v2.0/.well-known/openid-configuration",
                ["api-version"] = "1.1",
                ["metadata"] = new JsonArray(new JsonObject
                {
                    ["preferred_network"] = request.Host.Host,
                    ["preferred_cache"] = request.Host.Host,
                    ["aliases"] = new JsonArray(request.Host.Host),
                }),
            }).ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsGet(request.Method) && segments is [var discoveryTenant, "v2.0", ".well-known", "openid-configuration"])
        {
            await JsonAsync(context, 200, new JsonObject
            {
                ["issuer"] = $"{authorityHost}/{discoveryTenant}/v2.0",
                ["authorization_endpoint"] = $"{authorityHost}/{discoveryTenant}/oauth2/v2.0/authorize",
                ["token_endpoint"] = $"{authorityHost}/{discoveryTenant}/oauth2/v2.0/token",
                ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
                ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
                ["tenant_region_scope"] = "NA",
            }).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(request.Method) || segments is not [var tenant, "oauth2", "v2.0", "token"])
        {
            await AadErrorAsync(context, 404, "invalid_request", 900561, "The endpoint only accepts POST requests at /<tenant>/oauth2/v2.0/token.").ConfigureAwait(false);
            return;
        }

        var form = request.HasFormContentType ? await request.ReadFormAsync().ConfigureAwait(false) : null;
        string Field(string key) => form?[key].ToString() ?? string.Empty;
        if (Field("grant_type") != "client_credentials")
        {
            await AadErrorAsync(context, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type; the sandbox supports client_credentials only.").ConfigureAwait(false);
            return;
        }

        var clientId = Field("client_id");
        if (!_apps.TryGetValue(clientId, out var app) || !string.Equals(app.TenantId, tenant, StringComparison.OrdinalIgnoreCase))
        {
            await AadErrorAsync(context, 400, "unauthorized_client", 700016,
                $"Application with identifier '{clientId}' was not found in the directory '{tenant}'.").ConfigureAwait(false);
            return;
        }

        var scope = Field("scope");
        if (!scope.EndsWith("/.default", StringComparison.Ordinal))
        {
            await AadErrorAsync(context, 400, "invalid_scope", 1002012, $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.").ConfigureAwait(false);
            return;
        }

        var assertion = Field("client_assertion");
        var secret = Field("client_secret");
        if (assertion.Length > 0)
        {
            if (Field("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            {
                await AadErrorAsync(context, 400, "invalid_request", 50027, "Invalid client_assertion_type.").ConfigureAwait(false);
                return;
            }

            var problem = CheckAssertion(app, assertion, out var code);
            if (problem is not null)
            {
                await AadErrorAsync(context, 400, "invalid_client", code, problem).ConfigureAwait(false);
                return;
            }
        }
        else if (secret.Length > 0)
        {
            bool known;
            lock (app)
            {
                known = app.Secrets.Contains(secret);
            }

            if (!known)
            {
                await AadErrorAsync(context, 401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.").ConfigureAwait(false);
                return;
            }
        }
        else
        {
            await AadErrorAsync(context, 401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.").ConfigureAwait(false);
            return;
        }

        var (token, lifetime) = Issue(app.TenantId, scope[..^"/.default".Length], clientId);
        await JsonAsync(context, 200, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)lifetime.TotalSeconds,
            ["ext_expires_in"] = (long)lifetime.TotalSeconds,
            ["access_token"] = token,
        }).ConfigureAwait(false);
    }

    private string? CheckAssertion(AppRegistration app, string assertion, out int code)
    {
        var result = TokenIssuer.Validate(assertion, expectedAudience: null, TimeProvider);
        if (!result.IsValid || result.Claims is null)
        {
            code = result.Failure == ServiceAccountTokenFailure.Expired ? 700024 : 50027;
            return code == 700024 ? "Client assertion is not within its valid time range." : "Invalid JWT token: the assertion is not signed by a trusted issuer.";
        }

        var claims = result.Claims;
        lock (app)
        {
            var byIssuer = app.FederatedCredentials.Where(f => f.Issuer == claims.Issuer).ToList();
            if (byIssuer.Count == 0)
            {
                code = 700211;
                return $"No matching federated identity record found for presented assertion issuer '{claims.Issuer}'.";
            }

            var bySubject = byIssuer.Where(f => f.Subject == claims.Subject).ToList();
            if (bySubject.Count == 0)
            {
                code = 700213;
                return $"No matching federated identity record found for presented assertion subject '{claims.Subject}'.";
            }

            if (!bySubject.Any(f => claims.Audiences.Contains(f.Audience)))
            {
                code = 700212;
                return $"No matching federated identity record found for presented assertion audience '{string.Join(",", claims.Audiences)}'.";
            }
        }

        code = 0;
        return null;
    }

    private (string Token, TimeSpan Lifetime) Issue(string tenantId, string audience, string clientId)
    {
        var token = "kvsandbox." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _tokens[token] = new IssuedToken(tenantId, audience, clientId, TimeProvider.GetUtcNow() + _options.AccessTokenLifetime);
        return (token, _options.AccessTokenLifetime);
    }

    private Task AadErrorAsync(HttpContext context, int status, string error, int code, string description) =>
        JsonAsync(context, status, new JsonObject
        {
            ["error"] = error,
            ["error_description"] = $"AADSTS{code}: {description}",
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = TimeProvider.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["trace_id"] = Guid.NewGuid().ToString(),
            ["correlation_id"] = Guid.NewGuid().ToString(),
        });

    private AppRegistration App(string clientId, string? tenantId) =>
        _apps.GetOrAdd(clientId, id => new AppRegistration(tenantId ?? TenantId, id));

    // ================================================================== IMDS
}
