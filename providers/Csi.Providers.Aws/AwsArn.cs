namespace Csi.Providers.Aws;

/// <summary>An ARN split as the AWS SDKs split it: arn:partition:service:region:account-id:resource.</summary>
internal sealed record AwsArn(string Partition, string Service, string Region, string AccountId, string Resource)
{
    public static bool LooksLikeArn(string text) => text.StartsWith("arn:", StringComparison.Ordinal);

    public static AwsArn? TryParse(string text)
    {
        if (!LooksLikeArn(text))
        {
            return null;
        }
        var parts = text.Split(':', 6);
        return parts.Length < 6 ? null : new AwsArn(parts[1], parts[2], parts[3], parts[4], parts[5]);
    }
}
