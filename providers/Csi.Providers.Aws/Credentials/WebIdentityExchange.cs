using System.Globalization;
using System.Net;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Csi.ProviderHost;

namespace Csi.Providers.Aws.Credentials;

/// <summary>IRSA: the pod's sts.amazonaws.com token and the service account's role, exchanged with the region's STS.</summary>
internal sealed class WebIdentityExchange
{
    private readonly AwsEnvironment _environment;
    private readonly string _appId;

    public WebIdentityExchange(AwsEnvironment environment, string appId)
    {
        _environment = environment;
        _appId = appId;
    }

    public async Task<CachedCredentials> AssumeRoleAsync(AwsIdentity identity, string region, string token, CancellationToken cancellationToken)
    {
        var config = AwsClientConfigs.For(new AmazonSecurityTokenServiceConfig(), _environment, AwsEnvironment.StsService, region, _appId);
        using var sts = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), config);
        AssumeRoleWithWebIdentityResponse response;
        try
        {
            response = await sts.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
            {
                RoleArn = identity.RoleArn,
                RoleSessionName = "secrets-store-csi-" + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                WebIdentityToken = token,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            throw Failure(identity, region, e, token);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or AmazonClientException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ProviderException(ProviderErrorKind.Unavailable, "AssumeRoleFailed",
                $"{region}: IRSA: AssumeRoleWithWebIdentity for role {identity.RoleArn} failed: {PodIdentityAgent.Redact(e.Message, token)}; STS in {region} did not answer, check the node's network and AWS_ENDPOINT_URL_STS");
        }
        var credentials = response.Credentials;
        if (credentials is null || string.IsNullOrEmpty(credentials.AccessKeyId))
        {
            throw new ProviderException(ProviderErrorKind.Unavailable, "AssumeRoleFailed", $"{region}: IRSA: STS answered without credentials for role {identity.RoleArn}");
        }
        var expiration = credentials.Expiration is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, at.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : at.Kind)) : DateTimeOffset.UtcNow.AddMinutes(15);
        return new CachedCredentials(new ImmutableCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken), expiration);
    }

    private static ProviderException Failure(AwsIdentity identity, string region, AmazonServiceException e, string token)
    {
        var status = e.ErrorCode switch
        {
            "InvalidIdentityToken" or "ExpiredTokenException" or "ExpiredToken" => ProviderErrorKind.Unauthenticated,
            "AccessDenied" or "AccessDeniedException" => ProviderErrorKind.PermissionDenied,
            "IDPCommunicationError" or "IDPRejectedClaim" => ProviderErrorKind.Unavailable,
            _ when e.StatusCode >= HttpStatusCode.InternalServerError => ProviderErrorKind.Unavailable,
            _ => ProviderErrorKind.FailedPrecondition,
        };
        var fix = status switch
        {
            ProviderErrorKind.Unauthenticated => "STS refused the pod's sts.amazonaws.com token: check that the cluster's OIDC issuer is an IAM identity provider and that the token has not expired",
            ProviderErrorKind.PermissionDenied => $"the role's trust policy must allow sts:AssumeRoleWithWebIdentity for system:serviceaccount:{identity.Namespace}:{identity.ServiceAccount} with audience sts.amazonaws.com",
            ProviderErrorKind.Unavailable => $"STS in {region} or the cluster's OIDC issuer did not answer; the driver retries",
            _ => "check the role ARN in the service account's eks.amazonaws.com/role-arn annotation",
        };
        var message = PodIdentityAgent.Redact(e.Message, token);
        return new ProviderException(status, "AssumeRoleFailed",
            $"{region}: IRSA: AssumeRoleWithWebIdentity for role {identity.RoleArn} failed: {e.ErrorCode}: {message} (HTTP {(int)e.StatusCode}); {fix}", e);
    }
}
