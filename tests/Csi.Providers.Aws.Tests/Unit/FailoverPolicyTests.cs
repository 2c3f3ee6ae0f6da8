using System.Net;
using Amazon.Runtime;
using Csi.ProviderHost;

namespace Csi.Providers.Aws.Tests.Unit;

public sealed class FailoverPolicyTests
{
    private sealed record Value(string Text);

    private static AmazonServiceException Service(string code, HttpStatusCode status) => new("m", null, (int)status >= 500 ? ErrorType.Receiver : ErrorType.Sender, code, "rid", status);

    private static RegionalOutcome<Value> Ok(string region, string text) => new(region, new Value(text), null);

    private static RegionalOutcome<Value> Failed(string region, Exception e) => new(region, null, e);

    private static Value Choose(params RegionalOutcome<Value>[] outcomes) =>
        FailoverPolicy.Choose(outcomes, o => new ProviderException(AwsErrors.StatusFor(o.Failure!), "X", $"{o.Region}: {AwsErrors.Describe(o.Failure!)}"), "all regions failed");

    [Fact]
    public void BothRegionsAnswer_PrimaryWins()
    {
        Assert.Equal("primary", Choose(Ok("us-east-1", "primary"), Ok("us-west-2", "failover")).Text);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public void ServerErrorInPrimary_FailoverValueIsUsed(int status)
    {
        Assert.Equal("failover", Choose(Failed("us-east-1", Service("InternalServiceError", (HttpStatusCode)status)), Ok("us-west-2", "failover")).Text);
    }

    [Fact]
    public void NetworkErrorOrThrottlingInFailover_PrimaryValueIsUsed()
    {
        Assert.Equal("primary", Choose(Ok("us-east-1", "primary"), Failed("us-west-2", new HttpRequestException("connection refused"))).Text);
        Assert.Equal("primary", Choose(Ok("us-east-1", "primary"), Failed("us-west-2", Service("ThrottlingException", HttpStatusCode.BadRequest))).Text);
    }

    [Theory]
    [InlineData("ResourceNotFoundException", ProviderErrorKind.NotFound)]
    [InlineData("AccessDeniedException", ProviderErrorKind.PermissionDenied)]
    [InlineData("UnrecognizedClientException", ProviderErrorKind.Unauthenticated)]
    public void ClientErrorInEitherRegion_IsFatalEvenWhenTheOtherAnswers(string code, ProviderErrorKind expected)
    {
        var e = Assert.Throws<ProviderException>(() => Choose(Ok("us-east-1", "primary"), Failed("us-west-2", Service(code, HttpStatusCode.BadRequest))));
        Assert.Equal(expected, e.Kind);
        Assert.StartsWith("us-west-2: " + code, e.Message, StringComparison.Ordinal);
        Assert.Throws<ProviderException>(() => Choose(Failed("us-east-1", Service(code, HttpStatusCode.BadRequest)), Ok("us-west-2", "failover")));
    }

    [Fact]
    public void RefusedCredentialsAreFatal_UnreachableCredentialsAreNot()
    {
        var refused = new ProviderException(ProviderErrorKind.Unauthenticated, "AssumeRoleFailed", "no");
        var unreachable = new ProviderException(ProviderErrorKind.Unavailable, "AssumeRoleFailed", "down");
        Assert.Throws<ProviderException>(() => Choose(Ok("a", "x"), Failed("b", refused)));
        Assert.Equal("x", Choose(Ok("a", "x"), Failed("b", unreachable)).Text);
    }

    [Fact]
    public void EveryRegionFailsTransiently_ErrorListsEachRegion()
    {
        var e = Assert.Throws<ProviderException>(() => Choose(Failed("us-east-1", Service("InternalServiceError", HttpStatusCode.InternalServerError)), Failed("us-west-2", new HttpRequestException("refused"))));
        Assert.Equal(ProviderErrorKind.Unavailable, e.Kind);
        Assert.Contains("all regions failed", e.Message, StringComparison.Ordinal);
        Assert.Contains("us-east-1: InternalServiceError", e.Message, StringComparison.Ordinal);
        Assert.Contains("us-west-2: network error: refused", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SingleRegionFailure_IsThatRegionsError()
    {
        var e = Assert.Throws<ProviderException>(() => Choose(Failed("us-east-1", Service("InternalServiceError", HttpStatusCode.InternalServerError))));
        Assert.StartsWith("us-east-1: InternalServiceError: m (HTTP 500, request id rid)", e.Message, StringComparison.Ordinal);
    }
}
