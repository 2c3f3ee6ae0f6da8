using Csi.Common.Flags;

namespace Csi.Providers.Aws;

/// <summary>
/// The standard AWS SDK environment settings the provider honours: <c>AWS_REGION</c>, endpoint overrides
/// (<c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, then <c>AWS_ENDPOINT_URL</c>), <c>AWS_USE_FIPS_ENDPOINT</c>, and
/// <c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c> for the Pod Identity agent. Read through one function so tests
/// can supply their own without touching the process environment.
/// </summary>
internal sealed class AwsEnvironment
{
    public const string SecretsManagerService = "SECRETS_MANAGER";
    public const string SsmService = "SSM";
    public const string StsService = "STS";

    private readonly Func<string, string?> _get;

    public AwsEnvironment(Func<string, string?> get)
    {
        _get = get;
    }

    public static AwsEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    public static AwsEnvironment From(IReadOnlyDictionary<string, string> values) => new(name => values.GetValueOrDefault(name));

    public string? Region => Value("AWS_REGION");

    public bool UseFips => Value("AWS_USE_FIPS_ENDPOINT") is { } text && GoBool.TryParse(text, out var fips) && fips;

    /// <summary>Where the Pod Identity agent is, when set (the SDKs' container-credentials variable).</summary>
    public Uri? ContainerCredentialsUri => Value("AWS_CONTAINER_CREDENTIALS_FULL_URI") is { } text && Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>The configured endpoint for a service (e.g. <see cref="SecretsManagerService"/>), or null for the default.</summary>
    public Uri? EndpointFor(string service)
    {
        var text = Value("AWS_ENDPOINT_URL_" + service) ?? Value("AWS_ENDPOINT_URL");
        return text is not null && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;
    }

    /// <summary>The AWS endpoint of a service in a region: https://&lt;prefix&gt;[-fips].&lt;region&gt;.amazonaws.com[.cn].</summary>
    public Uri DefaultEndpoint(string hostPrefix, string region)
    {
        var suffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://{hostPrefix}{(UseFips ? "-fips" : string.Empty)}.{region}.{suffix}/");
    }

    private string? Value(string name) => _get(name) is { Length: > 0 } value ? value.Trim() : null;
}
