using System.Globalization;
using System.Net;
using Csi.Common.Flags;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Vault;

/// <summary>
/// Runs the sandbox as a process for demos:
/// <c>dotnet run --project tests/Csi.Sandboxes.Vault -- --listen 127.0.0.1:8200 --seed seed.json</c>.
/// Prints the address and root token, then one line per request (never bodies or secret values).
/// </summary>
internal static class Program
{
    private const string Name = "Csi.Sandboxes.Vault";

    public static async Task<int> Main(string[] args)
    {
        var listen = new IPEndPoint(IPAddress.Loopback, 8200);
        string seed = string.Empty, rootToken = string.Empty, caOut = string.Empty, keyOut = string.Empty, jwtSubject = string.Empty, jwtOut = string.Empty;
        var jwtAudience = "vault";
        bool tls = false, quiet = false, help = false;
        var flags = new FlagSet(Name);
        flags.AddString("listen", "127.0.0.1:8200", "address to listen on (ip:port or :port for loopback; port 0 picks one)", v => listen = SandboxProcess.ParseListen(v));
        flags.AddString("seed", string.Empty, "JSON seed: namespaces, mounts, secrets, policies, auth roles (see README.md)", v => seed = v);
        flags.AddString("root-token", string.Empty, "use this root token instead of a random one", v => rootToken = v);
        flags.AddBool("tls", false, "serve HTTPS with an in-memory self-signed certificate", v => tls = v);
        flags.AddString("ca-out", string.Empty, "write the server certificate (PEM) here, for VAULT_CACERT", v => caOut = v);
        flags.AddString("issuer-key-out", string.Empty, "write the service-account token issuer's public key (PEM) here", v => keyOut = v);
        flags.AddString("jwt", string.Empty, "mint a service-account JWT for <namespace>/<serviceaccount> ...", v => jwtSubject = v);
        flags.AddString("jwt-audience", "vault", "... with this audience ...", v => jwtAudience = v);
        flags.AddString("jwt-out", string.Empty, "... and write it here (default <serviceaccount>.jwt)", v => jwtOut = v);
        flags.AddBool("quiet", false, "do not log requests", v => quiet = v);
        flags.AddBool("help", false, "print this help and exit", v => help = v);
        var (parsed, exit) = CommandLineEntry.Parse(Name, () =>
        {
            flags.ParseFlagsOnly(args);
            return jwtSubject.Length == 0 || jwtSubject.Split('/').Length == 2
                ? flags
                : throw new FlagException($"--jwt: \"{jwtSubject}\" is not <namespace>/<serviceaccount>");
        }, _ => help ? flags.Usage() : null, Console.Out, Console.Error);
        if (parsed is null)
        {
            return exit!.Value;
        }

        var options = new VaultSandboxOptions
        {
            ListenAddress = listen.Address,
            Port = listen.Port,
            UseTls = tls,
            RootToken = rootToken.Length == 0 ? null : rootToken,
            RequestLogWriter = quiet ? null : Console.Out,
        };

        await using var sandbox = await VaultSandbox.StartAsync(options).ConfigureAwait(false);
        if (seed.Length > 0)
        {
            sandbox.ApplySeed(await File.ReadAllTextAsync(seed).ConfigureAwait(false));
        }

        Console.WriteLine($"Vault sandbox listening on {sandbox.Address}");
        Console.WriteLine($"Root token: {sandbox.RootToken}");
        Console.WriteLine($"Service-account token issuer: {sandbox.TokenIssuer.Issuer} (kid {sandbox.TokenIssuer.KeyId})");
        if (sandbox.ServerCertificate is { } cert && caOut.Length > 0)
        {
            await File.WriteAllTextAsync(caOut, cert.ExportCertificatePem() + "\n").ConfigureAwait(false);
            Console.WriteLine($"Server certificate written to {caOut}");
        }

        if (keyOut.Length > 0)
        {
            await File.WriteAllTextAsync(keyOut, sandbox.TokenIssuer.PublicKeyPem + "\n").ConfigureAwait(false);
            Console.WriteLine($"Issuer public key written to {keyOut}");
        }

        if (jwtSubject.Length > 0)
        {
            var parts = jwtSubject.Split('/', 2);
            var file = jwtOut.Length > 0 ? jwtOut : parts[1] + ".jwt";
            var jwt = sandbox.TokenIssuer.Mint(new ServiceAccountTokenRequest
            {
                Namespace = parts[0],
                ServiceAccountName = parts[1],
                Audiences = [jwtAudience],
                Lifetime = TimeSpan.FromHours(24),
            });
            await File.WriteAllTextAsync(file, jwt).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Service-account JWT for {jwtSubject} (aud {jwtAudience}, 24h) written to {file}"));
        }

        Console.WriteLine("Press Ctrl+C to stop.");
        await SandboxProcess.WaitForStopSignalAsync().ConfigureAwait(false);
        Console.WriteLine("Stopping.");
        return 0;
    }
}
