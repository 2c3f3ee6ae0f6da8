using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Csi.Testing;
using Xunit.Abstractions;

namespace Csi.Aot.Tests;

/// <summary>
/// The OCI images of images/build.sh, built from the binaries this test process publishes (shared with the other
/// Native AOT tests, so nothing is published twice; the local-volume driver, published by its own tests, is reused
/// by the script when fresh, under the publisher's lock), unpacked and started with --version in a chroot of their own
/// root file system: they run without the SDK or anything of this machine. Each image stays under a size bound
/// (images/README.md). Needs root and buildah (.ci/run installs it).
/// </summary>
public sealed class AotImageTests(ITestOutputHelper output)
{
    /// <summary>Image, user it runs as, the command that proves it starts, and the bound of its archive (gzip layers) in MiB.</summary>
    private static readonly (string Image, int User, string[] Command, int BoundMiB)[] Images =
    [
        ("secrets-store-csi-driver", 0, ["/secrets-store-csi-driver", "--version"], 16),
        ("secrets-store-csi-driver-crds", 65532, ["/kubectl", "version", "--client"], 24),
        ("vault-csi-provider", 65532, ["/vault-csi-provider", "--version"], 16),
        ("secrets-store-csi-driver-provider-azure", 65532, ["/secrets-store-csi-driver-provider-azure", "--version"], 20),
        ("secrets-store-csi-driver-provider-aws", 65532, ["/secrets-store-csi-driver-provider-aws", "--version"], 20),
        ("local-volume-csi-driver", 0, ["/local-volume-csi-driver", "--version"], 24),
        ("csi-provisioner", 0, ["/csi-provisioner", "--version"], 16),
    ];

    [Fact]
    public async Task Images_build_from_the_published_binaries_and_start_in_their_own_root_file_system()
    {
        Assert.True(Environment.UserName == "root" || Shell.Run("id", "-u").Trim() == "0", "building and chrooting into images needs root");
        Assert.True(Shell.Has("buildah"), "buildah is not installed: apt-get install buildah (.ci/run does)");
        foreach (var (project, binary) in new[]
        {
            (AotPublisher.DriverProject, AotPublisher.DriverBinaryName),
            (AotPublisher.VaultProviderProject, AotPublisher.VaultProviderBinaryName),
            ("providers/Csi.Providers.Azure/Csi.Providers.Azure.csproj", "secrets-store-csi-driver-provider-azure"),
        })
        {
            var publish = await AotPublisher.PublishAsync(project, binary);
            Assert.True(publish.Succeeded, $"dotnet publish {project} exited with {publish.ExitCode}:\n{publish.Log}");
        }

        using var directory = new TempDirectory("csi-images-");
        var root = RepositoryRoot.Find();
        var build = Shell.TryRun(Path.Combine(root, "images", "build.sh"), "--aot", Path.Combine(root, "artifacts", "aot"), "--out", directory.Path);
        output.WriteLine(build.Output);
        Assert.True(build.ExitCode == 0, $"images/build.sh exited {build.ExitCode}:\n{build.Output}\n{build.Error}");

        foreach (var (image, user, command, bound) in Images)
        {
            var archive = new FileInfo(Path.Combine(directory.Path, image + ".tar"));
            Assert.True(archive.Exists, $"no archive for {image}");
            var mib = archive.Length / 1024.0 / 1024.0;
            output.WriteLine($"{image}: {mib.ToString("F1", CultureInfo.InvariantCulture)} MiB (bound {bound} MiB)");
            Assert.True(mib <= bound, $"{image} is {mib:F1} MiB, over its bound of {bound} MiB");

            var rootfs = directory.CreateDirectory("rootfs-" + image);
            var config = Unpack(archive.FullName, rootfs, $"ghcr.io/csi-suite/{image}:");
            Assert.Equal($"{user}:{user}", (string)config["config"]!["User"]!);
            Assert.Equal(command[0], (string)config["config"]!["Entrypoint"]![0]!);
            Assert.Equal("linux", (string)config["os"]!);

            var run = InChroot(rootfs, user, command);
            Assert.True(run.ExitCode == 0, $"{image}: {string.Join(' ', command)} exited {run.ExitCode} in its own root file system:\n{run.Output}\n{run.Error}");
            Assert.False(string.IsNullOrWhiteSpace(run.Output), $"{image} printed nothing for {string.Join(' ', command)}");
            output.WriteLine($"  {string.Join(' ', command)}: {run.Output.Trim().Split('\n')[0]}");

            if (File.Exists(Path.Combine(rootfs, "lib/x86_64-linux-gnu/libssl.so.3")))
            {
                // .NET opens OpenSSL with dlopen: the image's loader must resolve it and its dependencies by itself.
                var libssl = InChroot(rootfs, user, ["/lib64/ld-linux-x86-64.so.2", "--list", "/lib/x86_64-linux-gnu/libssl.so.3"]);
                Assert.True(libssl.ExitCode == 0 && !libssl.Output.Contains("not found", StringComparison.Ordinal), $"{image}: libssl does not resolve:\n{libssl.Output}{libssl.Error}");
            }
        }

        var mkfs = InChroot(Path.Combine(directory.Path, "rootfs-local-volume-csi-driver"), 0, ["/usr/sbin/mkfs.ext4", "-V"]);
        Assert.True(mkfs.ExitCode == 0, $"mkfs.ext4 does not start in the local-volume image:\n{mkfs.Output}{mkfs.Error}");
    }

    /// <summary>Extracts every layer of the archive's one image into <paramref name="rootfs"/> and returns its config.</summary>
    private static JsonObject Unpack(string archive, string rootfs, string referencePrefix)
    {
        var layout = rootfs + ".oci";
        Directory.CreateDirectory(layout);
        TarFile.ExtractToDirectory(archive, layout, overwriteFiles: true);
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!;
        var descriptor = Assert.Single(index["manifests"]!.AsArray())!;
        Assert.StartsWith(referencePrefix, (string)descriptor["annotations"]!["org.opencontainers.image.ref.name"]!, StringComparison.Ordinal);
        var manifest = JsonNode.Parse(File.ReadAllText(Blob(layout, (string)descriptor["digest"]!)))!;
        foreach (var layer in manifest["layers"]!.AsArray())
        {
            Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip", (string)layer!["mediaType"]!);
            using var gzip = new GZipStream(File.OpenRead(Blob(layout, (string)layer["digest"]!)), CompressionMode.Decompress);
            TarFile.ExtractToDirectory(gzip, rootfs, overwriteFiles: true);
        }
        return JsonNode.Parse(File.ReadAllText(Blob(layout, (string)manifest["config"]!["digest"]!)))!.AsObject();
    }

    private static string Blob(string layout, string digest) => Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);

    /// <summary>Runs a command as <paramref name="user"/> chrooted into the image, with /proc and /dev as a container runtime provides them.</summary>
    private static (int ExitCode, string Output, string Error) InChroot(string rootfs, int user, string[] command)
    {
        Directory.CreateDirectory(Path.Combine(rootfs, "proc"));
        Directory.CreateDirectory(Path.Combine(rootfs, "dev"));
        var script = "mount -t proc proc \"$1/proc\" && mount --rbind /dev \"$1/dev\" && root=$1 && user=$2 && shift 2 && exec chroot --userspec=\"$user:$user\" \"$root\" \"$@\"";
        return Shell.TryRun("unshare", ["--mount", "--fork", "sh", "-c", script, "sh", rootfs, user.ToString(CultureInfo.InvariantCulture), .. command]);
    }
}
