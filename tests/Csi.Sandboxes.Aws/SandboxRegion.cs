using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Csi.Sandboxes.Aws.Internal;

namespace Csi.Sandboxes.Aws;

/// <summary>
/// The Secrets Manager secrets and SSM parameters of one region. Created by <see cref="AwsSandbox.Region"/>; every
/// method is thread-safe. Setup methods throw <see cref="ArgumentException"/> or <see cref="KeyNotFoundException"/> for
/// what the real service would refuse.
/// </summary>
public sealed partial class SandboxRegion
{
    /// <summary>The staging label of the version readers get by default.</summary>
    public const string CurrentStage = "AWSCURRENT";

    /// <summary>The staging label Secrets Manager moves to the version that loses <see cref="CurrentStage"/>.</summary>
    public const string PreviousStage = "AWSPREVIOUS";

    /// <summary>The staging label rotation gives the version it is about to promote.</summary>
    public const string PendingStage = "AWSPENDING";

    private const string SecretIdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredSecret> _secrets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredParameter> _parameters = new(StringComparer.Ordinal);
    private readonly string _accountId;
    private readonly TimeProvider _time;

    internal SandboxRegion(string name, string accountId, TimeProvider time)
    {
        Name = name;
        _accountId = accountId;
        _time = time;
    }

    /// <summary>The region name, e.g. <c>us-east-1</c>.</summary>
    public string Name { get; }

    // ================================================================== Secrets Manager setup

    /// <summary>
    /// Puts a new string version (PutSecretValue; CreateSecret on first use) and returns its VersionId (a UUID). The stages
    /// default to <c>AWSCURRENT</c>; each stage moves from the version that held it, and the version losing
    /// <c>AWSCURRENT</c> gets <c>AWSPREVIOUS</c>.
    /// </summary>
    public string PutSecretString(string name, string value, params string[] stages)
    {
        ArgumentNullException.ThrowIfNull(value);
        return PutSecret(name, value, null, stages);
    }

    /// <summary>Puts a new binary version (returned base64-encoded as <c>SecretBinary</c>); see <see cref="PutSecretString"/>.</summary>
    public string PutSecretBinary(string name, byte[] value, params string[] stages)
    {
        ArgumentNullException.ThrowIfNull(value);
        return PutSecret(name, null, (byte[])value.Clone(), stages);
    }

    /// <summary>Attaches <paramref name="stage"/> to <paramref name="toVersionId"/> (UpdateSecretVersionStage with MoveToVersionId).</summary>
    public void MoveStage(string name, string stage, string toVersionId)
    {
        ValidateStage(stage);
        lock (_gate)
        {
            var secret = RequireSecret(name);
            var target = secret.ById(toVersionId) ?? throw new KeyNotFoundException($"Secret '{name}' has no version '{toVersionId}'.");
            secret.MoveStage(stage, target);
            secret.LastChanged = _time.GetUtcNow();
        }
    }

    /// <summary>
    /// Schedules the secret for deletion (DeleteSecret with a recovery window): reads then fail with
    /// <c>InvalidRequestException</c>, DescribeSecret shows <c>DeletedDate</c>.
    /// </summary>
    public void DeleteSecret(string name)
    {
        lock (_gate)
        {
            var secret = RequireSecret(name);
            secret.Deleted = _time.GetUtcNow();
            secret.LastChanged = secret.Deleted.Value;
        }
    }

    /// <summary>Cancels a scheduled deletion (RestoreSecret).</summary>
    public void RestoreSecret(string name)
    {
        lock (_gate)
        {
            var secret = RequireSecret(name);
            secret.Deleted = null;
            secret.LastChanged = _time.GetUtcNow();
        }
    }

    /// <summary>The full ARN: <c>arn:aws:secretsmanager:&lt;region&gt;:&lt;account&gt;:secret:&lt;name&gt;-&lt;6 random characters&gt;</c>.</summary>
    public string SecretArn(string name)
    {
        lock (_gate)
        {
            return RequireSecret(name).Arn;
        }
    }

    // ================================================================== SSM setup

    /// <summary>Puts a parameter value (PutParameter with Overwrite) and returns its new version number (1, 2, …).</summary>
    /// <param name="name">A name such as <c>/app/db/password</c> or <c>plain-name</c>.</param>
    /// <param name="value">The value; a comma-separated list for <c>StringList</c>.</param>
    /// <param name="type"><c>String</c>, <c>StringList</c> or <c>SecureString</c>.</param>
    public long PutParameter(string name, string value, string type = "String")
    {
        ValidateParameterName(name);
        ArgumentNullException.ThrowIfNull(value);
        if (type is not ("String" or "StringList" or "SecureString"))
        {
            throw new ArgumentException($"Type '{type}' is not String, StringList or SecureString.", nameof(type));
        }

        if (value.Length is 0 or > 8192)
        {
            throw new ArgumentException("A parameter value holds 1 to 8192 characters (advanced tier).", nameof(value));
        }

        lock (_gate)
        {
            if (!_parameters.TryGetValue(name, out var parameter))
            {
                parameter = new StoredParameter(name, BuildParameterArn(name));
                _parameters.Add(name, parameter);
            }

            var version = parameter.Versions.Count == 0 ? 1 : parameter.Latest.Version + 1;
            parameter.Type = type;
            parameter.Versions.Add(new ParameterVersion(version, value, type, _time.GetUtcNow()));
            return version;
        }
    }

    /// <summary>Attaches labels to a version (LabelParameterVersion); a label held by another version moves here.</summary>
    public void LabelParameterVersion(string name, long version, params string[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var label in labels)
        {
            ValidateLabel(label);
        }

        lock (_gate)
        {
            var parameter = _parameters.GetValueOrDefault(name) ?? throw new KeyNotFoundException($"Parameter '{name}' does not exist.");
            var target = parameter.ByVersion(version) ?? throw new KeyNotFoundException($"Parameter '{name}' has no version {version}.");
            foreach (var label in labels)
            {
                foreach (var other in parameter.Versions)
                {
                    other.Labels.Remove(label);
                }

                target.Labels.Add(label);
            }

            if (target.Labels.Count > 10)
            {
                throw new ArgumentException("A parameter version can have at most 10 labels.", nameof(labels));
            }
        }
    }

    /// <summary>Deletes a parameter and all its versions (DeleteParameter).</summary>
    public void DeleteParameter(string name)
    {
        lock (_gate)
        {
            if (!_parameters.Remove(name))
            {
                throw new KeyNotFoundException($"Parameter '{name}' does not exist.");
            }
        }
    }

    /// <summary><c>arn:aws:ssm:&lt;region&gt;:&lt;account&gt;:parameter/&lt;name without its leading slash&gt;</c>.</summary>
    public string ParameterArn(string name)
    {
        ValidateParameterName(name);
        return BuildParameterArn(name);
    }

    // ================================================================== Secrets Manager reads

    /// <summary>The secret name an id refers to, for the access check: the stored name when it resolves, else the name part of the id.</summary>
    internal string SecretResourceName(string secretId, out string? arn)
    {
        lock (_gate)
        {
            var secret = FindSecret(secretId);
            arn = secret?.Arn;
            if (secret is not null)
            {
                return secret.Name;
            }
        }

        var marker = secretId.IndexOf(":secret:", StringComparison.Ordinal);
        return secretId.StartsWith("arn:", StringComparison.Ordinal) && marker > 0 ? secretId[(marker + ":secret:".Length)..] : secretId;
    }

    internal JsonObject GetSecretValue(string secretId, string? versionId, string? versionStage)
    {
        lock (_gate)
        {
            var secret = FindSecret(secretId) ?? throw SecretNotFound();
            if (secret.Deleted is not null)
            {
                throw AwsFault.BadRequest("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.");
            }

            SecretVersion? version;
            if (versionId is not null)
            {
                version = secret.ById(versionId);
                if (version is null || (versionStage is not null && !version.Stages.Contains(versionStage)))
                {
                    var what = versionStage is null ? $"VersionId: {versionId}" : $"VersionId: {versionId} and staging label: {versionStage}";
                    throw AwsFault.BadRequest("ResourceNotFoundException", $"Secrets Manager can't find the specified secret value for {what}");
                }
            }
            else
            {
                var stage = versionStage ?? CurrentStage;
                version = secret.ByStage(stage)
                    ?? throw AwsFault.BadRequest("ResourceNotFoundException", $"Secrets Manager can't find the specified secret value for staging label: {stage}");
            }

            var body = new JsonObject
            {
                ["ARN"] = secret.Arn,
                ["Name"] = secret.Name,
                ["VersionId"] = version.VersionId,
            };
            if (version.SecretString is not null)
            {
                body["SecretString"] = version.SecretString;
            }
            else
            {
                body["SecretBinary"] = Convert.ToBase64String(version.SecretBinary!);
            }

            body["VersionStages"] = new JsonArray(version.Stages.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
            body["CreatedDate"] = EpochSeconds(version.Created);
            return body;
        }
    }

    internal JsonObject DescribeSecret(string secretId)
    {
        lock (_gate)
        {
            var secret = FindSecret(secretId) ?? throw SecretNotFound();
            var stages = new JsonObject();
            foreach (var version in secret.Versions.Where(v => v.Stages.Count > 0))
            {
                stages[version.VersionId] = new JsonArray(version.Stages.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
            }

            var body = new JsonObject
            {
                ["ARN"] = secret.Arn,
                ["Name"] = secret.Name,
                ["LastChangedDate"] = EpochSeconds(secret.LastChanged),
                ["CreatedDate"] = EpochSeconds(secret.Created),
                ["VersionIdsToStages"] = stages,
            };
            if (secret.Deleted is { } deleted)
            {
                body["DeletedDate"] = EpochSeconds(deleted);
            }

            return body;
        }
    }

    internal static AwsFault SecretNotFound() =>
        AwsFault.BadRequest("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");

    // ================================================================== SSM reads

    /// <summary>Splits <c>name</c>, <c>name:3</c>, <c>name:label</c> or an ARN with a selector into the parameter name and selector.</summary>
    internal static (string Name, string? Selector) SplitSelector(string input)
    {
        var resourceStart = 0;
        if (input.StartsWith("arn:", StringComparison.Ordinal))
        {
            var marker = input.IndexOf(":parameter/", StringComparison.Ordinal);
            resourceStart = marker < 0 ? input.Length : marker + ":parameter/".Length;
        }

        var colon = input.IndexOf(':', resourceStart);
        return colon < 0 ? (input, null) : (input[..colon], input[(colon + 1)..]);
    }

    /// <summary>The parameter name a request names (an ARN of this region and account becomes the name), for the access check.</summary>
    internal string ParameterResourceName(string nameOrArn)
    {
        if (!nameOrArn.StartsWith("arn:", StringComparison.Ordinal))
        {
            return nameOrArn;
        }

        var prefix = $"arn:aws:ssm:{Name}:{_accountId}:parameter/";
        if (!nameOrArn.StartsWith(prefix, StringComparison.Ordinal))
        {
            return nameOrArn;
        }

        var rest = nameOrArn[prefix.Length..];
        lock (_gate)
        {
            return _parameters.ContainsKey("/" + rest) ? "/" + rest : rest;
        }
    }

    /// <summary>The parameter JSON for <paramref name="input"/> (with selector), or null when the name, version or label does not exist.</summary>
    internal JsonObject? GetParameter(string input, bool withDecryption, out string? missingReason)
    {
        var (nameOrArn, selector) = SplitSelector(input);
        var name = ParameterResourceName(nameOrArn);
        lock (_gate)
        {
            missingReason = "ParameterNotFound";
            if (!_parameters.TryGetValue(name, out var parameter))
            {
                return null;
            }

            ParameterVersion? version;
            if (selector is null)
            {
                version = parameter.Latest;
            }
            else if (selector.Length > 0 && selector.All(char.IsAsciiDigit))
            {
                version = long.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? parameter.ByVersion(number) : null;
                missingReason = "ParameterVersionNotFound";
            }
            else
            {
                version = parameter.ByLabel(selector);
                missingReason = "ParameterVersionLabelNotFound";
            }

            if (version is null)
            {
                return null;
            }

            missingReason = null;
            var value = version.Type == "SecureString" && !withDecryption ? PseudoCiphertext(parameter, version) : version.Value;
            var body = new JsonObject
            {
                ["Name"] = parameter.Name,
                ["Type"] = version.Type,
                ["Value"] = value,
                ["Version"] = version.Version,
            };
            if (selector is not null)
            {
                body["Selector"] = ":" + selector;
            }

            body["LastModifiedDate"] = EpochSeconds(version.LastModified);
            body["ARN"] = parameter.Arn;
            body["DataType"] = "text";
            return body;
        }
    }

    internal string ParameterArnFor(string name) => BuildParameterArn(name);

    // ================================================================== internals

    private string PutSecret(string name, string? secretString, byte[]? secretBinary, string[] stages)
    {
        ValidateSecretName(name);
        stages = stages is null || stages.Length == 0 ? [CurrentStage] : stages;
        foreach (var stage in stages)
        {
            ValidateStage(stage);
        }

        if (Encoding.UTF8.GetByteCount(secretString ?? string.Empty) > 65536 || secretBinary?.Length > 65536)
        {
            throw new ArgumentException("A secret value holds at most 65,536 bytes.");
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (!_secrets.TryGetValue(name, out var secret))
            {
                var suffix = RandomNumberGenerator.GetString(SecretIdAlphabet, 6);
                secret = new StoredSecret(name, $"arn:aws:secretsmanager:{Name}:{_accountId}:secret:{name}-{suffix}", now);
                _secrets.Add(name, secret);
            }
            else if (secret.Deleted is not null)
            {
                throw new InvalidOperationException($"Secret '{name}' is marked for deletion; restore it first.");
            }

            var version = new SecretVersion(Guid.NewGuid().ToString(), now, secretString, secretBinary);
            secret.Versions.Add(version);
            foreach (var stage in stages.Distinct(StringComparer.Ordinal))
            {
                secret.MoveStage(stage, version);
            }

            secret.LastChanged = now;
            return version.VersionId;
        }
    }

    private StoredSecret RequireSecret(string name) =>
        FindSecret(name) ?? throw new KeyNotFoundException($"Secret '{name}' does not exist in {Name}.");

    /// <summary>By name, full ARN, or partial ARN (the ARN without the 6-character suffix), as GetSecretValue resolves SecretId.</summary>
    private StoredSecret? FindSecret(string secretId)
    {
        if (!secretId.StartsWith("arn:", StringComparison.Ordinal))
        {
            return _secrets.GetValueOrDefault(secretId);
        }

        var prefix = $"arn:aws:secretsmanager:{Name}:{_accountId}:secret:";
        if (!secretId.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        return _secrets.Values.FirstOrDefault(s => string.Equals(s.Arn, secretId, StringComparison.Ordinal))
            ?? _secrets.GetValueOrDefault(secretId[prefix.Length..]);
    }

    private string BuildParameterArn(string name) =>
        $"arn:aws:ssm:{Name}:{_accountId}:parameter/{name.TrimStart('/')}";

    // Looks like a KMS ciphertext blob (which starts AQICAH…) but is a digest: it never reveals the value.
    private static string PseudoCiphertext(StoredParameter parameter, ParameterVersion version)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{parameter.Arn}\n{version.Version}\n{version.Value}"));
        return Convert.ToBase64String([0x01, 0x02, 0x02, 0x00, 0x78, .. digest, .. digest]);
    }

    private static double EpochSeconds(DateTimeOffset instant) => instant.ToUnixTimeMilliseconds() / 1000.0;

    private static void ValidateSecretName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 512 || !SecretNamePattern().IsMatch(name))
        {
            throw new ArgumentException($"Secret name '{name}' must be 1-512 characters of A-Z a-z 0-9 / _ + = . @ -.", nameof(name));
        }
    }

    private static void ValidateStage(string stage)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        if (stage.Length > 256)
        {
            throw new ArgumentException("A staging label holds 1-256 characters.", nameof(stage));
        }
    }

    private static void ValidateParameterName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 2048 || !ParameterNamePattern().IsMatch(name) || (name.Contains('/', StringComparison.Ordinal) && !name.StartsWith('/')))
        {
            throw new ArgumentException($"Parameter name '{name}' must be 1-2048 characters of a-z A-Z 0-9 _ . - /, and start with '/' when it has a hierarchy.", nameof(name));
        }

        var first = name.TrimStart('/');
        if (first.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || first.StartsWith("ssm", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("Parameter names can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).", nameof(name));
        }
    }

    private static void ValidateLabel(string label)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        if (label.Length > 100 || !LabelPattern().IsMatch(label) || label.All(char.IsAsciiDigit)
            || label.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || label.StartsWith("ssm", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Label '{label}' is invalid: 1-100 characters of a-z A-Z 0-9 _ . -, not only digits, not prefixed with aws or ssm.", nameof(label));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9/_+=.@-]+$")]
    private static partial Regex SecretNamePattern();

    [GeneratedRegex("^[A-Za-z0-9_./-]+$")]
    private static partial Regex ParameterNamePattern();

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex LabelPattern();
}
