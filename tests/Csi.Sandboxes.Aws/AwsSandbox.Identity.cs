using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Csi.Sandboxes.Aws.Internal;
using Csi.Sandboxes.Common;
using Microsoft.AspNetCore.Http;

namespace Csi.Sandboxes.Aws;

// STS AssumeRoleWithWebIdentity (query protocol, XML answers) and the EKS Pod Identity agent.
public sealed partial class AwsSandbox
{
    private const string StsVersion = "2011-06-15";
    private static readonly XNamespace StsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";

    private async Task HandleStsAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        var request = context.Request;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            parameters[key] = value.ToString();
        }

        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType)
        {
            var form = await request.ReadFormAsync().ConfigureAwait(false);
            foreach (var (key, value) in form)
            {
                parameters[key] = value.ToString();
            }
        }

        var action = parameters.GetValueOrDefault("Action") ?? string.Empty;
        var region = StsRegion(request);
        var status = 200;
        string? errorType = null;
        try
        {
            if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsGet(request.Method))
            {
                throw new AwsFault(405, "InvalidAction", $"The sandbox answers POST or GET, not {request.Method}.");
            }

            if (action.Length == 0)
            {
                throw AwsFault.BadRequest("MissingAction", "Missing Action");
            }

            var version = parameters.GetValueOrDefault("Version");
            if (action != "AssumeRoleWithWebIdentity" || version != StsVersion)
            {
                throw AwsFault.BadRequest("InvalidAction", $"Could not find operation {action} for version {version ?? "NO_VERSION_SPECIFIED"}");
            }

            var result = AssumeRoleWithWebIdentity(parameters);
            var document = new XDocument(new XElement(StsNamespace + "AssumeRoleWithWebIdentityResponse",
                result,
                new XElement(StsNamespace + "ResponseMetadata", new XElement(StsNamespace + "RequestId", requestId))));
            await WriteXmlAsync(context, 200, document).ConfigureAwait(false);
        }
        catch (AwsFault fault)
        {
            status = fault.StatusCode;
            errorType = fault.Code;
            var document = new XDocument(new XElement(StsNamespace + "ErrorResponse",
                new XElement(StsNamespace + "Error",
                    new XElement(StsNamespace + "Type", fault.StatusCode >= 500 ? "Receiver" : "Sender"),
                    new XElement(StsNamespace + "Code", fault.Code),
                    new XElement(StsNamespace + "Message", fault.Message)),
                new XElement(StsNamespace + "RequestId", requestId)));
            await WriteXmlAsync(context, fault.StatusCode, document).ConfigureAwait(false);
        }
        finally
        {
            Record(region, "sts", action, status, null, errorType);
        }
    }

    private XElement AssumeRoleWithWebIdentity(Dictionary<string, string> parameters)
    {
        var roleArn = StsRequired(parameters, "RoleArn", "roleArn");
        var sessionName = StsRequired(parameters, "RoleSessionName", "roleSessionName");
        var token = StsRequired(parameters, "WebIdentityToken", "webIdentityToken");
        if (roleArn.Length < 20 || roleArn.Length > 2048)
        {
            throw StsValidation($"Value '{roleArn}' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20");
        }

        if (sessionName.Length is < 2 or > 64)
        {
            throw StsValidation($"Value '{sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must have length {(sessionName.Length < 2 ? "greater than or equal to 2" : "less than or equal to 64")}");
        }

        if (!SessionNamePattern().IsMatch(sessionName))
        {
            throw StsValidation($"Value '{sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }

        var duration = TimeSpan.FromHours(1);
        if (parameters.TryGetValue("DurationSeconds", out var durationText))
        {
            if (!int.TryParse(durationText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 900 or > 43200)
            {
                throw StsValidation($"Value '{durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200");
            }

            duration = TimeSpan.FromSeconds(seconds);
        }

        if (duration > _options.MaxSessionDuration)
        {
            throw AwsFault.BadRequest("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }

        // STS finds the OIDC provider by the token's issuer before it verifies anything.
        var unverified = ServiceAccountTokenIssuer.ReadClaimsUnverified(token);
        if (unverified is not null && !string.Equals(unverified.Issuer, TokenIssuer.Issuer, StringComparison.Ordinal))
        {
            throw AwsFault.BadRequest("InvalidIdentityToken", $"No OpenIDConnect provider found in your account for {unverified.Issuer}");
        }

        var validation = TokenIssuer.Validate(token, expectedAudience: null, TimeProvider);
        var claims = validation.Claims;
        switch (validation.Failure)
        {
            case ServiceAccountTokenFailure.None:
                break;
            case ServiceAccountTokenFailure.Expired:
                throw AwsFault.BadRequest("ExpiredTokenException",
                    $"Token expired: current date/time {TimeProvider.GetUtcNow().ToUnixTimeSeconds()} must be before the expiration date/time {claims?.ExpiresAt?.ToUnixTimeSeconds()}");
            case ServiceAccountTokenFailure.WrongIssuer:
                throw AwsFault.BadRequest("InvalidIdentityToken", $"No OpenIDConnect provider found in your account for {claims?.Issuer}");
            case ServiceAccountTokenFailure.Malformed:
                throw AwsFault.BadRequest("InvalidIdentityToken", "Couldn't parse the web identity token.");
            default:
                throw AwsFault.BadRequest("InvalidIdentityToken", "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.");
        }

        List<WebIdentityTrust> trusts;
        HashSet<string> providerAudiences;
        lock (_gate)
        {
            trusts = _webIdentityRoles.TryGetValue(roleArn, out var t) ? [.. t] : [];
            providerAudiences = _webIdentityRoles.Values.SelectMany(l => l).Select(x => x.Audience).ToHashSet(StringComparer.Ordinal);
        }

        // The OIDC provider checks its client-id list first; the role's trust policy (subject, audience) second.
        var audience = claims!.Audiences.FirstOrDefault(providerAudiences.Contains);
        if (audience is null)
        {
            throw AwsFault.BadRequest("InvalidIdentityToken", "Incorrect token audience");
        }

        if (!trusts.Any(t => string.Equals(t.Subject, claims.Subject, StringComparison.Ordinal) && claims.Audiences.Contains(t.Audience)))
        {
            throw new AwsFault(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
        }

        var issued = Issue(roleArn, sessionName, duration);
        var provider = $"arn:aws:iam::{AccountId}:oidc-provider/{TokenIssuer.Issuer.Replace("https://", string.Empty, StringComparison.Ordinal)}";
        return new XElement(StsNamespace + "AssumeRoleWithWebIdentityResult",
            new XElement(StsNamespace + "SubjectFromWebIdentityToken", claims.Subject),
            new XElement(StsNamespace + "Audience", audience),
            new XElement(StsNamespace + "AssumedRoleUser",
                new XElement(StsNamespace + "Arn", issued.AssumedRoleArn),
                new XElement(StsNamespace + "AssumedRoleId", $"AROA{StableId(roleArn)}:{sessionName}")),
            new XElement(StsNamespace + "Credentials",
                new XElement(StsNamespace + "AccessKeyId", issued.AccessKeyId),
                new XElement(StsNamespace + "SecretAccessKey", issued.SecretAccessKey),
                new XElement(StsNamespace + "SessionToken", issued.SessionToken),
                new XElement(StsNamespace + "Expiration", Iso8601(issued.Expiration))),
            new XElement(StsNamespace + "Provider", provider),
            null);
    }

    // STS calls are unsigned: the region is the credential scope's when a client signed anyway, else a region-looking
    // first path segment (an endpoint such as http://127.0.0.1:port/us-west-2/), else unknown.
    private static string? StsRegion(HttpRequest request)
    {
        if (SigV4.TryParseAuthorization(request.Headers.Authorization.ToString(), out var authorization, out _))
        {
            return authorization.Region;
        }

        var first = (request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first is not null && RegionPattern().IsMatch(first) ? first : null;
    }

    // ================================================================== Pod Identity agent

    private async Task HandlePodIdentityAgentAsync(HttpContext context)
    {
        var status = 200;
        string? errorType = null;
        string? accessKeyId = null;
        try
        {
            if (!string.Equals(context.Request.Path.Value, "/v1/credentials", StringComparison.Ordinal))
            {
                throw new AwsFault(404, "NotFound", "The agent serves GET /v1/credentials only.");
            }

            if (!HttpMethods.IsGet(context.Request.Method))
            {
                throw new AwsFault(405, "MethodNotAllowed", "The agent serves GET /v1/credentials only.");
            }

            var token = context.Request.Headers.Authorization.ToString().Trim();
            if (token.Length == 0)
            {
                throw AwsFault.BadRequest("InvalidParameterException", "Service account token cannot be empty");
            }

            var validation = TokenIssuer.Validate(token, PodIdentityAudience, TimeProvider);
            switch (validation.Failure)
            {
                case ServiceAccountTokenFailure.None:
                    break;
                case ServiceAccountTokenFailure.Expired:
                    throw new AwsFault(401, "ExpiredTokenException", "Service account token is expired");
                case ServiceAccountTokenFailure.WrongAudience:
                    throw new AwsFault(401, "InvalidTokenException", $"Service account token audience is not {PodIdentityAudience}");
                default:
                    throw new AwsFault(401, "InvalidTokenException", "Service account token could not be validated");
            }

            var claims = validation.Claims!;
            (string RoleArn, string Audience) association;
            lock (_gate)
            {
                if (!_podIdentityAssociations.TryGetValue($"{claims.Namespace}/{claims.ServiceAccountName}", out association))
                {
                    throw new AwsFault(403, "AccessDeniedException",
                        $"No Pod Identity association for service account {claims.ServiceAccountName} in namespace {claims.Namespace}");
                }
            }

            if (!claims.Audiences.Contains(association.Audience))
            {
                throw new AwsFault(401, "InvalidTokenException", $"Service account token audience is not {association.Audience}");
            }

            var issued = Issue(association.RoleArn, "eks-pod-identity-" + (claims.PodName ?? claims.ServiceAccountName), _options.PodIdentityCredentialLifetime);
            accessKeyId = issued.AccessKeyId;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject
            {
                ["AccessKeyId"] = issued.AccessKeyId,
                ["SecretAccessKey"] = issued.SecretAccessKey,
                ["Token"] = issued.SessionToken,
                ["AccountId"] = AccountId,
                ["Expiration"] = Iso8601(issued.Expiration),
            }.ToJsonString()).ConfigureAwait(false);
        }
        catch (AwsFault fault)
        {
            status = fault.StatusCode;
            errorType = fault.Code;
            context.Response.StatusCode = fault.StatusCode;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject { ["code"] = fault.Code, ["message"] = fault.Message }.ToJsonString()).ConfigureAwait(false);
        }
        finally
        {
            Record(null, "pod-identity", "GetCredentials", status, accessKeyId, errorType);
        }
    }

    // ================================================================== plumbing

    private static string StsRequired(Dictionary<string, string> parameters, string name, string memberName) =>
        parameters.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw StsValidation($"Value null at '{memberName}' failed to satisfy constraint: Member must not be null");

    private static AwsFault StsValidation(string detail) => AwsFault.BadRequest("ValidationError", "1 validation error detected: " + detail);

    private static string Iso8601(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string StableId(string value) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)))[..17];

    private static async Task WriteXmlAsync(HttpContext context, int status, XDocument document)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync(document.ToString(SaveOptions.DisableFormatting)).ConfigureAwait(false);
    }

    [GeneratedRegex(@"^[\w+=,.@-]+$")]
    private static partial Regex SessionNamePattern();

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-\d+$")]
    private static partial Regex RegionPattern();
}
