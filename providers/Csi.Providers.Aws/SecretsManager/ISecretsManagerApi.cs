namespace Csi.Providers.Aws.SecretsManager;

/// <summary>The two Secrets Manager calls the provider makes, in one region with one set of credentials.</summary>
internal interface ISecretsManagerApi
{
    Task<GetSecretValueResponse> GetSecretValueAsync(GetSecretValueRequest request, CancellationToken cancellationToken);

    Task<DescribeSecretResponse> DescribeSecretAsync(string secretId, CancellationToken cancellationToken);
}
