using Csi.Common.Flags;
using Csi.TestProvider;

string socket = string.Empty, secretsDir = string.Empty;
var flags = new FlagSet("csi-test-provider");
flags.AddString("endpoint", "/tmp/secrets-store-csi-providers/test.sock", "unix socket to serve on; the file name is the provider name", v => socket = v);
flags.AddString("secrets-dir", string.Empty, "directory whose files are the objects served", v => secretsDir = v);
try
{
    flags.Parse(args);
    if (secretsDir.Length == 0 || !Directory.Exists(secretsDir))
    {
        throw new FlagException("--secrets-dir: must name an existing directory");
    }
}
catch (FlagException e)
{
    await Console.Error.WriteLineAsync("csi-test-provider: " + e.Message).ConfigureAwait(false);
    return 2;
}

var objects = new DirectoryObjects(secretsDir);
var service = new TestProviderService { Handler = objects.MountAsync };
await using var server = await TestProviderServer.StartAsync(Csi.Common.GrpcEndpoint.ParseUnixSocketPath(socket), service).ConfigureAwait(false);
await Console.Out.WriteLineAsync($"csi-test-provider serving {server.SocketPath}").ConfigureAwait(false);
await server.WaitForShutdownAsync().ConfigureAwait(false);
return 0;
