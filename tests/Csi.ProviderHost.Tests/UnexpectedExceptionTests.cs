using System.Collections.Concurrent;
using Csi.Common;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using SecretsStore.Provider.V1Alpha1;

namespace Csi.ProviderHost.Tests;

/// <summary>
/// A provider that fails in ways nobody planned for, on a real unix socket: every handler answers INTERNAL with a
/// message that names what failed, never UNKNOWN, and neither the status nor the log carries the secret the
/// exception's text quoted.
/// </summary>
public sealed class UnexpectedExceptionTests : IAsyncLifetime
{
    private const string Secret = "s3cr3t-db-password";

    private readonly string _dir = Directory.CreateTempSubdirectory("provider-host-throw-").FullName;
    private readonly ThrowingProvider _provider = new();
    private readonly ConcurrentQueue<string> _logs = new();
    private WebApplication _app = null!;
    private Grpc.Net.Client.GrpcChannel _channel = null!;
    private CSIDriverProvider.CSIDriverProviderClient _client = null!;

    public async Task InitializeAsync()
    {
        var options = ProviderHostOptions.Parse(_provider, ["--provider-volume", _dir, "--health-addr", ""]);
        _app = SecretsProviderHost.Build(_provider, options, logging => logging.AddProvider(new LogLines(_logs)));
        await _app.StartAsync();
        _channel = GrpcEndpoint.CreateChannel("unix://" + Path.Combine(_dir, "throwing.sock"));
        _client = new CSIDriverProvider.CSIDriverProviderClient(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _app.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    public static TheoryData<string, string> Failures => new()
    {
        { "ArgumentException", "async" },
        { "NullReferenceException", "async" },
        { "IOException", "async" },
        { "ArgumentException", "sync" },
        { "NullReferenceException", "sync" },
        { "IOException", "sync" },
        { "ArgumentNullException", "null files" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Mount_ProviderThrowsUnexpectedly_IsInternal_NamingTheFailure_WithoutTheSecret(string exception, string how)
    {
        _provider.MountFailure = (exception, how);

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.MountAsync(new MountRequest { Attributes = "{}", Secrets = "{\"password\":\"" + Secret + "\"}" }).ResponseAsync);

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("throwing", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(exception, error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs, l => l.Contains(Secret, StringComparison.Ordinal));
        Assert.Contains(_logs, l => l.Contains(exception, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ArgumentException")]
    [InlineData("NullReferenceException")]
    [InlineData("IOException")]
    public async Task Version_ProviderThrowsUnexpectedly_IsInternal_NamingTheCall_WithoutTheSecret(string exception)
    {
        _provider.VersionFailure = exception;

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.VersionAsync(new VersionRequest { Version = "v1alpha1" }).ResponseAsync);

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("/v1alpha1.CSIDriverProvider/Version", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(exception, error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs, l => l.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Version_AfterAFailedMount_StillAnswers()
    {
        _provider.MountFailure = ("IOException", "sync");
        await Assert.ThrowsAsync<RpcException>(() => _client.MountAsync(new MountRequest { Attributes = "{}" }).ResponseAsync);

        var version = await _client.VersionAsync(new VersionRequest { Version = "v1alpha1" });

        Assert.Equal("throwing", version.RuntimeName);
    }

    private static Exception Make(string exception) => exception switch
    {
        "ArgumentException" => new ArgumentException("bad value " + Secret, nameof(exception)),
        "NullReferenceException" => RealNullReference(),
        _ => new IOException("could not read " + Secret),
    };

    /// <summary>A NullReferenceException the runtime threw, as a provider's bug throws it.</summary>
    private static Exception RealNullReference(string? missing = null)
    {
        try
        {
            _ = missing!.Length;
            return new InvalidOperationException("unreachable");
        }
        catch (NullReferenceException e)
        {
            return e;
        }
    }

    private sealed class ThrowingProvider : SecretsProvider
    {
        public (string Exception, string How)? MountFailure { get; set; }

        public string? VersionFailure { get; set; }

        public override string Name => "throwing";

        public override string RuntimeName => VersionFailure is { } failure ? throw Make(failure) : Name;

        public override Task<MountResult> MountAsync(MountContext context, CancellationToken cancellationToken)
        {
            switch (MountFailure)
            {
                case ({ } exception, "sync"):
                    throw Make(exception);
                case (_, "null files"):
                    return Task.FromResult(new MountResult(null!, [new ProviderObjectVersion("secret/a", "1")]));
                case ({ } exception, _):
                    return ThrowLaterAsync(exception);
                default:
                    return Task.FromResult(new MountResult([new ProviderFile("a", "1"u8.ToArray(), 420)], [new ProviderObjectVersion("secret/a", "1")]));
            }
        }

        private static async Task<MountResult> ThrowLaterAsync(string exception)
        {
            await Task.Yield();
            throw Make(exception);
        }
    }

    /// <summary>Every formatted log line, with its exception's text if one was attached.</summary>
    private sealed class LogLines(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => lines.Enqueue(formatter(state, exception) + (exception is null ? string.Empty : " " + exception));

        public void Dispose()
        {
        }
    }
}
