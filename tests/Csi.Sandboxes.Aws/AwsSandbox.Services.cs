using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Csi.Sandboxes.Aws.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Csi.Sandboxes.Aws;

// Secrets Manager and SSM: the AWS JSON 1.1 protocol behind SigV4.
public sealed partial class AwsSandbox
{
    private const string JsonContentType = "application/x-amz-json-1.1";
    private const int MaxBodyBytes = 1 << 20;

    private async Task HandleEndpointAsync(HttpContext context)
    {
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        if (HttpMethods.IsPost(context.Request.Method) && target.Length > 0)
        {
            await HandleJsonAsync(context, target).ConfigureAwait(false);
        }
        else
        {
            await HandleStsAsync(context).ConfigureAwait(false);
        }
    }

    private async Task HandleJsonAsync(HttpContext context, string target)
    {
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        var dot = target.IndexOf('.', StringComparison.Ordinal);
        var prefix = dot < 0 ? target : target[..dot];
        var operation = dot < 0 ? string.Empty : target[(dot + 1)..];
        var service = prefix switch
        {
            "secretsmanager" => "secretsmanager",
            "AmazonSSM" => "ssm",
            _ => "unknown",
        };

        string? region = null;
        string? accessKeyId = null;
        var status = 200;
        string? errorType = null;
        try
        {
            var body = await ReadBodyAsync(context.Request).ConfigureAwait(false);
            if (service == "unknown")
            {
                throw AwsFault.BadRequest("UnknownOperationException", $"Unknown target prefix '{prefix}'.");
            }

            // The region decides which failures apply, so it is read before anything is verified.
            var authorization = ParseAuthorization(context.Request);
            region = authorization.Region;
            accessKeyId = authorization.AccessKeyId;
            ThrowIfRegionFailed(service, region);
            var caller = Authenticate(context, authorization, service, body);
            ThrowIfThrottled(region);

            var contentType = context.Request.ContentType ?? string.Empty;
            if (!contentType.StartsWith(JsonContentType, StringComparison.OrdinalIgnoreCase))
            {
                throw AwsFault.BadRequest("SerializationException", $"Content-Type must be {JsonContentType}.");
            }

            var input = ParseJson(body);
            var output = (service, operation) switch
            {
                ("secretsmanager", "GetSecretValue") => GetSecretValue(caller, region, input),
                ("secretsmanager", "DescribeSecret") => DescribeSecret(caller, region, input),
                ("secretsmanager", "BatchGetSecretValue") => BatchGetSecretValue(caller, region, input),
                ("ssm", "GetParameters") => GetParameters(caller, region, input),
                ("ssm", "GetParameter") => GetParameter(caller, region, input),
                _ => throw AwsFault.BadRequest("UnknownOperationException", $"The sandbox does not implement {target}."),
            };
            await WriteJsonAsync(context, 200, output).ConfigureAwait(false);
        }
        catch (AwsFault fault)
        {
            status = fault.StatusCode;
            errorType = fault.Code;
            // Secrets Manager writes "Message", SSM "message"; SDKs read either.
            var error = new JsonObject
            {
                ["__type"] = fault.Code,
                [service == "ssm" ? "message" : "Message"] = fault.Message,
            };
            await WriteJsonAsync(context, fault.StatusCode, error).ConfigureAwait(false);
        }
        finally
        {
            Record(region, service == "unknown" ? prefix : service, operation, status, accessKeyId, errorType);
        }
    }

    // ================================================================== Secrets Manager

    private JsonObject GetSecretValue(IssuedCredential caller, string region, JsonObject input)
    {
        var secretId = RequiredString(input, "SecretId", "secretId");
        var versionId = OptionalString(input, "VersionId");
        var versionStage = OptionalString(input, "VersionStage");
        if (versionId is not null && versionId.Length is < 32 or > 64)
        {
            throw AwsFault.BadRequest("ValidationException",
                $"1 validation error detected: Value '{versionId}' at 'versionId' failed to satisfy constraint: Member must have length {(versionId.Length < 32 ? "greater than or equal to 32" : "less than or equal to 64")}");
        }

        var data = Region(region);
        Authorize(caller, "secretsmanager:GetSecretValue", data, secretId);
        return data.GetSecretValue(secretId, versionId, versionStage);
    }

    private JsonObject DescribeSecret(IssuedCredential caller, string region, JsonObject input)
    {
        var secretId = RequiredString(input, "SecretId", "secretId");
        var data = Region(region);
        Authorize(caller, "secretsmanager:DescribeSecret", data, secretId);
        return data.DescribeSecret(secretId);
    }

    private JsonObject BatchGetSecretValue(IssuedCredential caller, string region, JsonObject input)
    {
        if (input["Filters"] is not null)
        {
            throw AwsFault.BadRequest("InvalidParameterException", "The sandbox supports BatchGetSecretValue with SecretIdList only.");
        }

        if (input["SecretIdList"] is not JsonArray ids || ids.Count is 0 or > 20)
        {
            throw AwsFault.BadRequest("InvalidParameterException", "SecretIdList must hold 1 to 20 secret ids.");
        }

        var data = Region(region);
        var values = new JsonArray();
        var errors = new JsonArray();
        foreach (var id in ids.Select(n => n?.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : string.Empty))
        {
            try
            {
                Authorize(caller, "secretsmanager:GetSecretValue", data, id);
                values.Add(data.GetSecretValue(id, null, null));
            }
            catch (AwsFault fault)
            {
                errors.Add(new JsonObject { ["SecretId"] = id, ["ErrorCode"] = fault.Code, ["Message"] = fault.Message });
            }
        }

        return new JsonObject { ["SecretValues"] = values, ["Errors"] = errors };
    }

    private void Authorize(IssuedCredential caller, string action, SandboxRegion data, string secretId)
    {
        var name = data.SecretResourceName(secretId, out var arn);
        if (!IsAllowed(caller.RoleArn, name))
        {
            throw AccessDenied(caller, action, arn ?? secretId);
        }
    }

    // ================================================================== SSM

    private JsonObject GetParameters(IssuedCredential caller, string region, JsonObject input)
    {
        if (input["Names"] is not JsonArray names || names.Count == 0)
        {
            throw AwsFault.BadRequest("ValidationException", "1 validation error detected: Value null at 'names' failed to satisfy constraint: Member must not be null");
        }

        if (names.Count > 10)
        {
            throw AwsFault.BadRequest("ValidationException",
                $"1 validation error detected: Value '[{string.Join(", ", names.Select(n => n?.ToString()))}]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10");
        }

        var requested = names.Select(n => n?.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : string.Empty).ToList();
        var withDecryption = input["WithDecryption"]?.GetValueKind() == JsonValueKind.True;
        var data = Region(region);

        // IAM evaluates every named resource before anything is read: one denial fails the whole call.
        foreach (var name in requested)
        {
            AuthorizeParameter(caller, "ssm:GetParameters", data, name);
        }

        var parameters = new JsonArray();
        var invalid = new JsonArray();
        foreach (var name in requested.Distinct(StringComparer.Ordinal))
        {
            var parameter = data.GetParameter(name, withDecryption, out _);
            if (parameter is null)
            {
                invalid.Add(name);
            }
            else
            {
                parameters.Add(parameter);
            }
        }

        return new JsonObject { ["Parameters"] = parameters, ["InvalidParameters"] = invalid };
    }

    private JsonObject GetParameter(IssuedCredential caller, string region, JsonObject input)
    {
        var name = RequiredString(input, "Name", "name");
        var withDecryption = input["WithDecryption"]?.GetValueKind() == JsonValueKind.True;
        var data = Region(region);
        AuthorizeParameter(caller, "ssm:GetParameter", data, name);
        var parameter = data.GetParameter(name, withDecryption, out var missing);
        if (parameter is null)
        {
            var message = missing switch
            {
                "ParameterVersionNotFound" => $"Systems Manager could not find version {SandboxRegion.SplitSelector(name).Selector} of {SandboxRegion.SplitSelector(name).Name}. Verify the version and try again.",
                _ => string.Empty,
            };
            throw AwsFault.BadRequest(missing == "ParameterVersionNotFound" ? missing : "ParameterNotFound", message);
        }

        return new JsonObject { ["Parameter"] = parameter };
    }

    private void AuthorizeParameter(IssuedCredential caller, string action, SandboxRegion data, string nameWithSelector)
    {
        var name = data.ParameterResourceName(SandboxRegion.SplitSelector(nameWithSelector).Name);
        if (!IsAllowed(caller.RoleArn, name))
        {
            var resource = name.StartsWith("arn:", StringComparison.Ordinal) ? name : data.ParameterArnFor(name);
            throw AccessDenied(caller, action, resource);
        }
    }

    private static AwsFault AccessDenied(IssuedCredential caller, string action, string resource) =>
        AwsFault.BadRequest("AccessDeniedException",
            $"User: {caller.AssumedRoleArn} is not authorized to perform: {action} on resource: {resource} because no identity-based policy allows the {action} action");

    // ================================================================== SigV4 and faults

    private static SigV4Authorization ParseAuthorization(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            throw AwsFault.BadRequest("MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        if (!SigV4.TryParseAuthorization(header, out var authorization, out var error))
        {
            throw AwsFault.BadRequest("IncompleteSignatureException", error);
        }

        return authorization;
    }

    private IssuedCredential Authenticate(HttpContext context, SigV4Authorization authorization, string service, byte[] body)
    {
        var request = context.Request;
        if (authorization.Service != service)
        {
            throw AwsFault.BadRequest("InvalidSignatureException", $"Credential should be scoped to correct service: '{service}'. ");
        }

        if (!authorization.SignedHeaders.Contains("host"))
        {
            throw AwsFault.BadRequest("InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }

        if (!_credentials.TryGetValue(authorization.AccessKeyId, out var caller)
            || !FixedTimeEquals(caller.SessionToken, request.Headers["X-Amz-Security-Token"].ToString()))
        {
            throw AwsFault.BadRequest("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        var now = TimeProvider.GetUtcNow();
        if (now >= caller.Expiration)
        {
            throw AwsFault.BadRequest("ExpiredTokenException", "The security token included in the request is expired");
        }

        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (amzDate.Length == 0 || !SigV4.TryParseAmzDate(amzDate, out var signedAt))
        {
            throw AwsFault.BadRequest("IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        var skew = _options.AllowedClockSkew;
        var stamp = (DateTimeOffset d) => d.ToString(SigV4.DateFormat, CultureInfo.InvariantCulture);
        if (signedAt < now - skew)
        {
            throw AwsFault.BadRequest("InvalidSignatureException",
                $"Signature expired: {amzDate} is now earlier than {stamp(now - skew)} ({stamp(now)} - {skew.TotalMinutes:0} min.)");
        }

        if (signedAt > now + skew)
        {
            throw AwsFault.BadRequest("InvalidSignatureException",
                $"Signature not yet current: {amzDate} is still later than {stamp(now + skew)} ({stamp(now)} + {skew.TotalMinutes:0} min.)");
        }

        if (authorization.Date != amzDate[..8])
        {
            throw AwsFault.BadRequest("InvalidSignatureException",
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{authorization.Date}' != '{amzDate[..8]}', from '{amzDate}'.");
        }

        var payloadHash = SigV4.Hex(SHA256.HashData(body));
        var declaredHash = request.Headers["X-Amz-Content-SHA256"].ToString();
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "/";
        var canonical = SigV4.CanonicalRequest(request.Method, rawTarget, request.Headers, authorization.SignedHeaders, payloadHash);
        var expected = SigV4.Sign(caller.SecretAccessKey, authorization, SigV4.StringToSign(amzDate, authorization.Scope, canonical));
        if ((declaredHash.Length > 0 && !string.Equals(declaredHash, payloadHash, StringComparison.OrdinalIgnoreCase))
            || !SigV4.SignaturesEqual(expected, authorization.Signature))
        {
            throw AwsFault.BadRequest("InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }

        return caller;
    }

    private void ThrowIfRegionFailed(string service, string region)
    {
        int status;
        lock (_gate)
        {
            if (!_failedRegions.TryGetValue(region, out status))
            {
                return;
            }
        }

        throw status switch
        {
            500 when service == "ssm" => new AwsFault(500, "InternalServerError", "An error occurred on the server side."),
            500 => new AwsFault(500, "InternalServiceError", "An error occurred on the server side."),
            503 => new AwsFault(503, "ServiceUnavailable", "Service is currently unavailable."),
            _ => new AwsFault(status, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure."),
        };
    }

    private void ThrowIfThrottled(string region)
    {
        lock (_gate)
        {
            if (_regionThrottles.TryGetValue(region, out var remaining) && remaining > 0)
            {
                _regionThrottles[region] = remaining - 1;
            }
            else if (_anyRegionThrottle > 0)
            {
                _anyRegionThrottle--;
            }
            else
            {
                return;
            }
        }

        throw AwsFault.BadRequest("ThrottlingException", "Rate exceeded");
    }

    // ================================================================== plumbing

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer).ConfigureAwait(false);
        if (buffer.Length > MaxBodyBytes)
        {
            throw new AwsFault(413, "RequestEntityTooLargeException", "Request body is too large.");
        }

        return buffer.ToArray();
    }

    private static JsonObject ParseJson(byte[] body)
    {
        try
        {
            return (body.Length == 0 ? new JsonObject() : JsonNode.Parse(body) as JsonObject)
                ?? throw AwsFault.BadRequest("SerializationException", "The request body is not a JSON object.");
        }
        catch (JsonException)
        {
            throw AwsFault.BadRequest("SerializationException", "The request body is not valid JSON.");
        }
    }

    private static string RequiredString(JsonObject input, string field, string memberName) =>
        OptionalString(input, field)
        ?? throw AwsFault.BadRequest("ValidationException", $"1 validation error detected: Value null at '{memberName}' failed to satisfy constraint: Member must not be null");

    private static string? OptionalString(JsonObject input, string field) =>
        input[field] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static bool FixedTimeEquals(string expected, string provided) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(provided)));

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonContentType;
        await context.Response.WriteAsync(body.ToJsonString()).ConfigureAwait(false);
    }
}
