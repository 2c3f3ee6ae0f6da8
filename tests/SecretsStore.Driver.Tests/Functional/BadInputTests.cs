using Csi.Testing;
using Csi.V1;
using Google.Protobuf;
using Grpc.Core;
using SecretsStore.Provider.V1Alpha1;
using File = System.IO.File;

namespace SecretsStore.Driver.Tests.Functional;

/// <summary>
/// A randomised run of malformed NodePublishVolume requests against adversarial provider answers, with a fixed
/// seed so that a failure replays: every call gets a definite status, nothing stays mounted after a failure,
/// nothing lands outside a target, file contents reach no log and no message, and the driver still serves.
/// </summary>
public sealed class BadInputTests
{
    private const int Seed = 20261206;
    private const int Calls = 300;
    private const string Marker = "CONTENT-7f3a9c";

    private enum Answer
    {
        Good,
        Traversal,
        AbsolutePath,
        EmptyPath,
        DuplicateNames,
        BadMode,
        Oversized,
        MissingVersions,
        ProviderErrorCode,
        ProviderRefuses,
        PastDeadline,
        OddPath,
    }

    [Fact]
    public async Task Publish_UnderRandomisedBadRequestsAndProviderAnswers_AnswersADefiniteCode_AndLeavesNothingBehind()
    {
        await using var h = await DriverHarness.StartAsync("--provider-timeout=250ms");
        h.WriteClass("spc");
        var outside = Path.Combine(Path.GetTempPath(), "bad-input-" + Guid.NewGuid().ToString("N"));
        var random = new Random(Seed);
        var published = new List<string>();
        var answers = Enum.GetValues<Answer>();

        for (var call = 0; call < Calls; call++)
        {
            var request = DriverHarness.PublishRequest(h.NewTarget());
            var mutations = random.Next(3);
            for (var m = 0; m < mutations; m++)
            {
                Mutate(request, random);
            }
            // The slow answer costs a provider timeout: keep it rare.
            var answer = answers[random.Next(answers.Length)];
            if (answer == Answer.PastDeadline && random.Next(4) != 0)
            {
                answer = Answer.Good;
            }
            h.ProviderService.Handler = Respond(answer, outside, random.Next(1000));

            var what = $"call {call} (seed {Seed}), answer {answer}";
            try
            {
                await h.Client.Node.NodePublishVolumeAsync(request, deadline: DateTime.UtcNow.AddSeconds(20));
                published.Add(request.TargetPath);
                Assert.True(IsUsablePath(request.TargetPath), $"{what}: accepted target_path \"{request.TargetPath}\"");
                Assert.NotNull(MountTable.At(Path.GetFullPath(request.TargetPath).TrimEnd('/')));
            }
            catch (RpcException e)
            {
                Assert.DoesNotContain("Exception was thrown by handler", e.Status.Detail, StringComparison.Ordinal);
                // The service layer's safety net must not be what answered: every bad field is caught by name first.
                Assert.DoesNotContain("failed unexpectedly", e.Status.Detail, StringComparison.Ordinal);
                Assert.DoesNotContain(Marker, e.Status.Detail, StringComparison.Ordinal);
                Assert.True(e.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.FailedPrecondition
                    or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.ResourceExhausted or StatusCode.PermissionDenied
                    || (e.StatusCode == StatusCode.Unknown && answer == Answer.ProviderErrorCode), $"{what}: {e.StatusCode} {e.Status.Detail}");
                if (IsUsablePath(request.TargetPath))
                {
                    var target = Path.GetFullPath(request.TargetPath).TrimEnd('/');
                    Assert.True(MountTable.At(target) is null, $"{what}: {target} is still mounted");
                    Assert.False(Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any(), $"{what}: {target} is not empty");
                }
            }
        }

        Assert.NotEmpty(published);
        foreach (var target in published)
        {
            await h.UnpublishAsync(target);
        }
        Assert.Empty(MountTable.Beneath(h.Root));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(h.Root, "pods"), "*", SearchOption.AllDirectories));
        Assert.False(File.Exists(outside));
        Assert.DoesNotContain(Marker, h.Logs.All, StringComparison.Ordinal);

        // Still healthy: it serves a plain publish and its health endpoint.
        h.ServeFiles(("a", "1"));
        var last = h.NewTarget();
        await h.PublishAsync(DriverHarness.PublishRequest(last));
        Assert.Equal("1", File.ReadAllText(Path.Combine(last, "a")));
        await h.UnpublishAsync(last);
        using var http = new HttpClient();
        Assert.True((await http.GetAsync(new Uri(h.MetricsAddress, "/healthz"))).IsSuccessStatusCode);
    }

    private static bool IsUsablePath(string path)
        => path.Length is > 0 and < 4000 && path.Trim('/').Length > 0 && Path.IsPathFullyQualified(path) && !path.Contains('\0', StringComparison.Ordinal) && !path.Split('/').Contains("..");

    private static void Mutate(NodePublishVolumeRequest request, Random random)
    {
        var context = request.VolumeContext;
        switch (random.Next(26))
        {
            case 0: request.VolumeId = string.Empty; break;
            case 1: request.VolumeId = "vol\0x"; break;
            case 2: request.VolumeId = new string('v', 10_000); break;
            case 3: request.TargetPath = string.Empty; break;
            case 4: request.TargetPath = "relative/mount"; break;
            case 5: request.TargetPath += "/../../escape"; break;
            case 6: request.TargetPath += "\0tail"; break;
            case 7: request.TargetPath += "/" + new string('x', 300); break;
            case 8: request.TargetPath += "/"; break;
            case 9: request.TargetPath += " møunt ☃"; break;
            case 10: request.TargetPath = Path.GetDirectoryName(request.TargetPath) + "/" + string.Concat(Enumerable.Repeat("d/", 2100)); break;
            case 11: request.VolumeCapability = null; break;
            case 12: request.VolumeCapability = new VolumeCapability { Block = new VolumeCapability.Types.BlockVolume() }; break;
            case 13: context.Clear(); break;
            case 14: context.Remove("secretProviderClass"); break;
            case 15: context["secretProviderClass"] = random.Next(4) switch { 0 => string.Empty, 1 => "spc\0", 2 => "../spc", _ => "SPC" }; break;
            case 16: context["secretProviderClass"] = new string('s', 300); break;
            case 17: context["csi.storage.k8s.io/pod.namespace"] = random.Next(3) switch { 0 => "a/b", 1 => "ns\0", _ => new string('n', 70) }; break;
            case 18: context["csi.storage.k8s.io/pod.name"] = random.Next(2) == 0 ? "web\0" : new string('p', 1000); break;
            case 19: context["csi.storage.k8s.io/pod.uid"] = "../../uid\n"; break;
            case 20: context["csi.storage.k8s.io/serviceAccount.tokens"] = random.Next(2) == 0 ? "{not json" : "{\"aud\":{\"token\":\"\0\"}}"; break;
            case 21: context[random.Next(2) == 0 ? string.Empty : "k\0y"] = "v"; break;
            case 22: context["extra"] = new string('e', 100_000); break;
            case 23: request.Readonly = false; break;
            case 24: request.Secrets["clientsecret"] = random.Next(2) == 0 ? "s\0" : new string('s', 50_000); break;
            default: request.StagingTargetPath = "/stage\0"; break;
        }
    }

    private static Func<MountRequest, ServerCallContext, Task<MountResponse>> Respond(Answer answer, string outside, int n)
    {
        var content = $"{Marker}-{n}";
        MountResponse Files(params (string Path, int Mode, string Content)[] files)
        {
            var response = new MountResponse();
            foreach (var (path, mode, text) in files)
            {
                response.Files.Add(new SecretsStore.Provider.V1Alpha1.File { Path = path, Mode = mode, Contents = ByteString.CopyFromUtf8(text) });
                response.ObjectVersion.Add(new ObjectVersion { Id = "secret/" + path, Version = "v" + n });
            }
            return response;
        }

        return answer switch
        {
            Answer.Good => (_, _) => Task.FromResult(Files(("a", 420, content), ("dir/b", 416, content))),
            Answer.Traversal => (_, _) => Task.FromResult(Files(("../../../escape", 420, content))),
            Answer.AbsolutePath => (_, _) => Task.FromResult(Files((outside, 420, content))),
            Answer.EmptyPath => (_, _) => Task.FromResult(Files(("", 420, content))),
            Answer.DuplicateNames => (_, _) => Task.FromResult(Files(("a", 420, content), ("a", 420, content))),
            Answer.BadMode => (_, _) => Task.FromResult(Files(("a", n % 2 == 0 ? -1 : 0x7FFFFFFF, content))),
            Answer.Oversized => (_, _) => Task.FromResult(Files(("a", 420, content + new string('x', 5 * 1024 * 1024)))),
            Answer.MissingVersions => (_, _) =>
            {
                var response = Files(("a", 420, content));
                response.ObjectVersion.Clear();
                return Task.FromResult(response);
            },
            Answer.ProviderErrorCode => (_, _) => Task.FromResult(new MountResponse { Error = new Error { Code = "StoreUnreachable" } }),
            Answer.ProviderRefuses => (_, _) => throw new RpcException(new Status(StatusCode.PermissionDenied, "role not allowed")),
            Answer.PastDeadline => async (_, context) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(5), context.CancellationToken);
                return Files(("a", 420, content));
            },
            _ => (_, _) => Task.FromResult(Files(((n % 3) switch { 0 => "a\0b", 1 => ".", _ => "dir/../../b" }, 420, content))),
        };
    }
}
