using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Vault;

/// <summary>
/// Runs the sandbox as a process for demos:
/// <c>dotnet run --project tests/Csi.Sandboxes.Vault -- --listen 127.0.0.1:8200 --seed seed.json</c>.
/// Prints the address and root token, then one line per request (never bodies or secret values).
/// </summary>
internal static class Program
{
    private const string Usage = """
        Usage: Csi.Sandboxes.Vault [options]
          --listen <ip:port>        address to listen on (default 127.0.0.1:8200; port 0 picks one)
          --seed <file>             JSON seed: namespaces, mounts, secrets, policies, auth roles (see README.md)
          --root-token <token>      use this root token instead of a random one
          --tls                     serve HTTPS with an in-memory self-signed certificate
          --ca-out <file>           write the server certificate (PEM) here, for VAULT_CACERT
          --issuer-key-out <file>   write the service-account token issuer's public key (PEM) here
          --jwt <ns>/<sa>           mint a service-account JWT for that service account ...
          --jwt-audience <aud>      ... with this audience (default vault) ...
          --jwt-out <file>          ... and write it here (default <sa>.jwt)
          --quiet                   do not log requests
        """;

    public static async Task<int> Main(string[] args)
    {
        var listen = new IPEndPoint(IPAddress.Loopback, 8200);
        string? seed = null, rootToken = null, caOut = null, keyOut = null, jwtSubject = null, jwtOut = null;
        var jwtAudience = "vault";
        bool tls = false, quiet = false;

        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--listen":
                    var value = Next();
                    if (!IPEndPoint.TryParse(value.StartsWith(':') ? "127.0.0.1" + value : value, out var parsed))
                    {
                        await Console.Error.WriteLineAsync($"invalid --listen address \"{value}\"").ConfigureAwait(false);
                        return 2;
                    }

                    listen = parsed;
                    break;
                case "--seed": seed = Next(); break;
                case "--root-token": rootToken = Next(); break;
                case "--tls": tls = true; break;
                case "--ca-out": caOut = Next(); break;
                case "--issuer-key-out": keyOut = Next(); break;
                case "--jwt": jwtSubject = Next(); break;
                case "--jwt-audience": jwtAudience = Next(); break;
                case "--jwt-out": jwtOut = Next(); break;
                case "--quiet": quiet = true; break;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    await Console.Error.WriteLineAsync($"unknown argument \"{args[i]}\"\n{Usage}").ConfigureAwait(false);
                    return 2;
            }
        }

        var options = new VaultSandboxOptions
        {
            ListenAddress = listen.Address,
            Port = listen.Port,
            UseTls = tls,
            RootToken = rootToken,
            RequestLogWriter = quiet ? null : Console.Out,
        };

        await using var sandbox = await VaultSandbox.StartAsync(options).ConfigureAwait(false);
        if (seed is not null)
        {
            sandbox.ApplySeed(await File.ReadAllTextAsync(seed).ConfigureAwait(false));
        }

        Console.WriteLine($"Vault sandbox listening on {sandbox.Address}");
        Console.WriteLine($"Root token: {sandbox.RootToken}");
        Console.WriteLine($"Service-account token issuer: {sandbox.TokenIssuer.Issuer} (kid {sandbox.TokenIssuer.KeyId})");
        if (sandbox.ServerCertificate is { } cert && caOut is not null)
        {
            await File.WriteAllTextAsync(caOut, cert.ExportCertificatePem() + "\n").ConfigureAwait(false);
            Console.WriteLine($"Server certificate written to {caOut}");
        }

        if (keyOut is not null)
        {
            await File.WriteAllTextAsync(keyOut, sandbox.TokenIssuer.PublicKeyPem + "\n").ConfigureAwait(false);
            Console.WriteLine($"Issuer public key written to {keyOut}");
        }

        if (jwtSubject is not null)
        {
            var parts = jwtSubject.Split('/', 2);
            if (parts.Length != 2)
            {
                await Console.Error.WriteLineAsync("--jwt expects <namespace>/<serviceaccount>").ConfigureAwait(false);
                return 2;
            }

            var file = jwtOut ?? parts[1] + ".jwt";
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

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        await stop.Task.ConfigureAwait(false);
        Console.WriteLine("Stopping.");
        return 0;
    }
}
