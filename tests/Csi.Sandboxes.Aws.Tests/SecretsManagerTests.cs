using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Aws.Tests;

public sealed class SecretsManagerTests : SandboxTestBase
{
    [Fact]
    public async Task GetSecretValue_ByName_ReturnsCurrentVersionWithArnStagesAndEpochCreatedDate()
    {
        var region = Sandbox.Region(Primary);
        region.PutSecretString("db/password", "one");
        var v2 = region.PutSecretString("db/password", "two");

        var answer = await SecretsManager().GetSecretValueAsync("db/password");

        Assert.Equal(200, answer.Status);
        Assert.Equal("two", answer.Body["SecretString"]!.GetValue<string>());
        Assert.Equal(v2, answer.Body["VersionId"]!.GetValue<string>());
        Assert.Equal("db/password", answer.Body["Name"]!.GetValue<string>());
        Assert.Matches(@"^arn:aws:secretsmanager:us-east-1:111122223333:secret:db/password-[A-Za-z0-9]{6}$", answer.Body["ARN"]!.GetValue<string>());
        Assert.Equal(["AWSCURRENT"], answer.Body["VersionStages"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(System.Text.Json.JsonValueKind.Number, JsonValueKind(answer.Body["CreatedDate"]));
        Assert.InRange(answer.Body["CreatedDate"]!.GetValue<double>(), Clock.GetUtcNow().ToUnixTimeSeconds() - 1, Clock.GetUtcNow().ToUnixTimeSeconds() + 1);
        Assert.False(string.IsNullOrEmpty(answer.RequestId));
        Assert.True(Guid.TryParse(v2, out _));
    }

    [Fact]
    public async Task PutSecret_MovesCurrentAndGivesOldCurrentPrevious()
    {
        var region = Sandbox.Region(Primary);
        var v1 = region.PutSecretString("s", "one");
        region.PutSecretString("s", "two");
        var caller = SecretsManager();

        var previous = await caller.GetSecretValueAsync("s", versionStage: "AWSPREVIOUS");

        Assert.Equal("one", previous.Body["SecretString"]!.GetValue<string>());
        Assert.Equal(v1, previous.Body["VersionId"]!.GetValue<string>());
        Assert.Equal(["AWSPREVIOUS"], previous.Body["VersionStages"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task GetSecretValue_ByVersionId_ReturnsThatVersion_EvenWithoutStages()
    {
        var region = Sandbox.Region(Primary);
        var v1 = region.PutSecretString("s", "one");
        region.PutSecretString("s", "two");
        region.PutSecretString("s", "three");

        var answer = await SecretsManager().GetSecretValueAsync("s", versionId: v1);

        Assert.Equal("one", answer.Body["SecretString"]!.GetValue<string>());
        Assert.Empty(answer.Body["VersionStages"]!.AsArray());
    }

    [Fact]
    public async Task GetSecretValue_VersionIdAndMatchingStage_Succeeds_MismatchIsResourceNotFound()
    {
        var region = Sandbox.Region(Primary);
        var v1 = region.PutSecretString("s", "one");
        var v2 = region.PutSecretString("s", "two");
        var caller = SecretsManager();

        var match = await caller.GetSecretValueAsync("s", versionId: v2, versionStage: "AWSCURRENT");
        var mismatch = await caller.GetSecretValueAsync("s", versionId: v1, versionStage: "AWSCURRENT");

        Assert.Equal("two", match.Body["SecretString"]!.GetValue<string>());
        Assert.Equal((400, "ResourceNotFoundException"), (mismatch.Status, mismatch.ErrorType));
        Assert.Contains(v1, mismatch.Message);
    }

    [Fact]
    public async Task GetSecretValue_CustomStage_FromPutAndMoveStage()
    {
        var region = Sandbox.Region(Primary);
        var v1 = region.PutSecretString("s", "one");
        var pending = region.PutSecretString("s", "next", "AWSPENDING");
        var caller = SecretsManager();

        var current = await caller.GetSecretValueAsync("s");
        var pend = await caller.GetSecretValueAsync("s", versionStage: "AWSPENDING");
        region.MoveStage("s", "AWSCURRENT", pending);
        var afterMove = await caller.GetSecretValueAsync("s");
        var previous = await caller.GetSecretValueAsync("s", versionStage: "AWSPREVIOUS");

        Assert.Equal("one", current.Body["SecretString"]!.GetValue<string>());
        Assert.Equal("next", pend.Body["SecretString"]!.GetValue<string>());
        Assert.Equal("next", afterMove.Body["SecretString"]!.GetValue<string>());
        Assert.Equal(v1, previous.Body["VersionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetSecretValue_ByFullAndPartialArn_ButNotWithWrongSuffix()
    {
        var region = Sandbox.Region(Primary);
        region.PutSecretString("app/key", "v");
        var arn = region.SecretArn("app/key");
        var caller = SecretsManager();

        var full = await caller.GetSecretValueAsync(arn);
        var partial = await caller.GetSecretValueAsync(arn[..^7]);
        var wrongSuffix = await caller.GetSecretValueAsync(arn[..^6] + "zzzzzz");

        Assert.Equal("v", full.Body["SecretString"]!.GetValue<string>());
        Assert.Equal("v", partial.Body["SecretString"]!.GetValue<string>());
        Assert.Equal("ResourceNotFoundException", wrongSuffix.ErrorType);
    }

    [Fact]
    public async Task GetSecretValue_Binary_IsBase64SecretBinary()
    {
        Sandbox.Region(Primary).PutSecretBinary("bin", [0, 1, 2, 255]);

        var answer = await SecretsManager().GetSecretValueAsync("bin");

        Assert.Null(answer.Body["SecretString"]);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, Convert.FromBase64String(answer.Body["SecretBinary"]!.GetValue<string>()));
    }

    [Fact]
    public async Task MissingSecret_IsResourceNotFound400_WithAwsMessage()
    {
        var answer = await SecretsManager().GetSecretValueAsync("absent");

        Assert.Equal(400, answer.Status);
        Assert.Equal("ResourceNotFoundException", answer.ErrorType);
        Assert.Equal("Secrets Manager can't find the specified secret.", answer.Message);
    }

    [Fact]
    public async Task UnknownStageOrVersion_IsResourceNotFound()
    {
        Sandbox.Region(Primary).PutSecretString("s", "v");
        var caller = SecretsManager();

        var stage = await caller.GetSecretValueAsync("s", versionStage: "AWSPREVIOUS");
        var version = await caller.GetSecretValueAsync("s", versionId: Guid.NewGuid().ToString());

        Assert.Equal("ResourceNotFoundException", stage.ErrorType);
        Assert.Contains("staging label: AWSPREVIOUS", stage.Message);
        Assert.Equal("ResourceNotFoundException", version.ErrorType);
    }

    [Fact]
    public async Task VersionIdShorterThan32_IsValidationException()
    {
        Sandbox.Region(Primary).PutSecretString("s", "v");

        var answer = await SecretsManager().GetSecretValueAsync("s", versionId: "3");

        Assert.Equal((400, "ValidationException"), (answer.Status, answer.ErrorType));
    }

    [Fact]
    public async Task DeletedSecret_IsInvalidRequest_ButStillDescribedWithDeletedDate()
    {
        var region = Sandbox.Region(Primary);
        region.PutSecretString("s", "v");
        region.DeleteSecret("s");
        var caller = SecretsManager();

        var read = await caller.GetSecretValueAsync("s");
        var described = await caller.DescribeSecretAsync("s");

        Assert.Equal((400, "InvalidRequestException"), (read.Status, read.ErrorType));
        Assert.Contains("marked for deletion", read.Message);
        Assert.Equal(200, described.Status);
        Assert.NotNull(described.Body["DeletedDate"]);
    }

    [Fact]
    public async Task DescribeSecret_MapsVersionIdsToStages_OnlyForStagedVersions()
    {
        var region = Sandbox.Region(Primary);
        region.PutSecretString("s", "1");
        var v2 = region.PutSecretString("s", "2");
        var v3 = region.PutSecretString("s", "3");

        var answer = await SecretsManager().DescribeSecretAsync("s");

        var map = answer.Body["VersionIdsToStages"]!.AsObject();
        Assert.Equal(2, map.Count);
        Assert.Equal(["AWSPREVIOUS"], map[v2]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["AWSCURRENT"], map[v3]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(region.SecretArn("s"), answer.Body["ARN"]!.GetValue<string>());
        Assert.Equal("s", answer.Body["Name"]!.GetValue<string>());
        Assert.NotNull(answer.Body["LastChangedDate"]);
    }

    [Fact]
    public async Task RoleWithoutGrant_IsAccessDenied_NamingRoleActionAndResource()
    {
        Sandbox.Region(Primary).PutSecretString("team-a/db", "v");
        Sandbox.Allow(OtherRole, "team-b/");

        var answer = await SecretsManager(Credentials(OtherRole)).GetSecretValueAsync("team-a/db");

        Assert.Equal((400, "AccessDeniedException"), (answer.Status, answer.ErrorType));
        Assert.StartsWith("User: arn:aws:sts::111122223333:assumed-role/other/", answer.Message);
        Assert.Contains("is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:111122223333:secret:team-a/db-", answer.Message);
    }

    [Fact]
    public async Task Grant_IsByNamePrefix_AndDeniesMissingSecretsOutsideIt()
    {
        Sandbox.Region(Primary).PutSecretString("team-b/db", "v");
        Sandbox.Allow(OtherRole, "team-b/");
        var caller = SecretsManager(Credentials(OtherRole));

        var allowed = await caller.GetSecretValueAsync("team-b/db");
        var outside = await caller.GetSecretValueAsync("team-c/absent");
        var insideMissing = await caller.GetSecretValueAsync("team-b/absent");

        Assert.Equal(200, allowed.Status);
        Assert.Equal("AccessDeniedException", outside.ErrorType);
        Assert.Equal("ResourceNotFoundException", insideMissing.ErrorType);
    }

    [Fact]
    public async Task BatchGetSecretValue_ReturnsValuesAndPerSecretErrors()
    {
        Sandbox.Region(Primary).PutSecretString("a", "1");

        var answer = await SecretsManager().CallAsync("BatchGetSecretValue", new JsonObject { ["SecretIdList"] = new JsonArray("a", "missing") });

        Assert.Equal(200, answer.Status);
        Assert.Equal("1", answer.Body["SecretValues"]![0]!["SecretString"]!.GetValue<string>());
        Assert.Equal("ResourceNotFoundException", answer.Body["Errors"]![0]!["ErrorCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownOperation_IsUnknownOperationException()
    {
        var answer = await SecretsManager().CallAsync("CreateSecret", new JsonObject { ["Name"] = "x" });

        Assert.Equal((400, "UnknownOperationException"), (answer.Status, answer.ErrorType));
    }

    [Fact]
    public async Task Regions_HoldSeparateSecrets()
    {
        Sandbox.Region(Primary).PutSecretString("s", "east");
        Sandbox.Region(Secondary).PutSecretString("s", "west");
        var credentials = Credentials();

        var east = await SecretsManager(credentials, Primary).GetSecretValueAsync("s");
        var west = await SecretsManager(credentials, Secondary).GetSecretValueAsync("s");
        var eastArnInWest = await SecretsManager(credentials, Secondary).GetSecretValueAsync(Sandbox.Region(Primary).SecretArn("s"));

        Assert.Equal("east", east.Body["SecretString"]!.GetValue<string>());
        Assert.Equal("west", west.Body["SecretString"]!.GetValue<string>());
        Assert.Equal("ResourceNotFoundException", eastArnInWest.ErrorType);
        Assert.Equal(1, Sandbox.CountRequests("GetSecretValue", Secondary, 200));
    }

    private static System.Text.Json.JsonValueKind JsonValueKind(JsonNode? node) => node!.GetValueKind();
}
