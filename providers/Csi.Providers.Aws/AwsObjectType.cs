namespace Csi.Providers.Aws;

/// <summary>Where an object lives: AWS Secrets Manager or SSM Parameter Store.</summary>
internal enum AwsObjectType
{
    SecretsManager,
    SsmParameter,
}
