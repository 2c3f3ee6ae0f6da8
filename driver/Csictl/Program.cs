using Csi.Client;
using Csi.Common.Flags;

namespace Csictl;

public static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <summary>Runs one csictl command. Returns 0 on success, 1 when a CSI call fails, 2 on bad usage.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        try
        {
            var line = CommandLine.Parse(args);
            if (line.Help)
            {
                Commands.WriteHelp(stdout, line.Command);
                return 0;
            }

            var command = line.Command ?? throw new UsageException("missing command", null);
            var timeout = ReadTimeout(line);
            using var client = Connect(line);
            var context = new CommandContext(client, line, stdout, line.Switch("json"), DateTime.UtcNow + timeout);
            await command.RunAsync(context).ConfigureAwait(false);
            return 0;
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            await stderr.WriteLineAsync(e.Command?.Usage ?? Commands.Usage).ConfigureAwait(false);
            return 2;
        }
        catch (RpcFailedException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static TimeSpan ReadTimeout(CommandLine line)
    {
        var text = line.Value("timeout") ?? Commands.DefaultTimeout;
        return GoDuration.TryParse(text, out var timeout) && timeout > TimeSpan.Zero
            ? timeout
            : throw new UsageException($"flag --timeout takes a positive duration such as 30s or 2m, not '{text}'", line.Command);
    }

    private static CsiClient Connect(CommandLine line)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("CSI_ENDPOINT");
        var endpoint = line.Value("endpoint") ?? (string.IsNullOrEmpty(fromEnvironment) ? Commands.DefaultEndpoint : fromEnvironment);
        try
        {
            return CsiClient.Connect(endpoint);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"flag --endpoint: {e.Message}", line.Command);
        }
    }
}
