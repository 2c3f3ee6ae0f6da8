using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Csi.Common;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using SecretsStore.Driver.Diagnostics;
using SecretsStore.Driver.Publishing;
using SecretsStore.Provider.V1Alpha1;

namespace SecretsStore.Driver.Providers;

/// <summary>
/// Finds a provider's socket (&lt;dir&gt;/&lt;provider&gt;.sock, the first of the configured directories that has
/// one) and keeps one channel per socket for the life of the process, as upstream does. Calls are retried
/// on UNAVAILABLE only, with upstream's retry policy.
/// </summary>
public sealed partial class ProviderClientPool : IProviderClient, IDisposable
{
    public const string ApiVersion = "v1alpha1";

    private readonly IReadOnlyList<string> _directories;
    private readonly int _maxReceiveMessageSize;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<CSIDriverProvider.CSIDriverProviderClient>> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<GrpcChannel> _channels = [];

    public ProviderClientPool(IReadOnlyList<string> directories, int maxReceiveMessageSize, ILogger<ProviderClientPool> logger)
    {
        _directories = directories;
        _maxReceiveMessageSize = maxReceiveMessageSize;
        _logger = logger;
    }

    public static bool IsValidProviderName(string provider) => ProviderName().IsMatch(provider);

    public string? FindSocket(string provider)
    {
        foreach (var directory in _directories)
        {
            var path = Path.Combine(directory, provider + ".sock");
            if (System.IO.File.Exists(path))
            {
                return path;
            }
        }
        return null;
    }

    public IReadOnlyList<string> ListProviders()
        => _directories
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.sock"))
            .Select(p => Path.GetFileNameWithoutExtension(p))
            .Where(IsValidProviderName)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();

    public async Task<MountResponse> MountAsync(string provider, MountRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (client, socket) = GetClient(provider);
        MountResponse response;
        try
        {
            response = await client.MountAsync(request, deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            // Our caller gave up (kubelet's deadline, an unpublish): not the provider's failure.
            throw new OperationCanceledException($"the {provider} provider's Mount call was cancelled", e, cancellationToken);
        }
        catch (RpcException e)
        {
            throw MapFailure(provider, socket, "Mount", e, timeout);
        }
        if (!string.IsNullOrEmpty(response.Error?.Code))
        {
            throw new SecretsStoreException(ErrorReason.ProviderError, $"provider {provider} failed to fetch the objects: error code {response.Error.Code}; see the provider's log for details")
            {
                MetricErrorType = response.Error.Code,
            };
        }
        return response;
    }

    public async Task<VersionResponse> VersionAsync(string provider, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (client, socket) = GetClient(provider);
        try
        {
            return await client.VersionAsync(new VersionRequest { Version = ApiVersion }, deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw MapFailure(provider, socket, "Version", e, timeout);
        }
    }

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }

    private (CSIDriverProvider.CSIDriverProviderClient Client, string Socket) GetClient(string provider)
    {
        if (!IsValidProviderName(provider))
        {
            throw new SecretsStoreException(ErrorReason.InvalidSecretProviderClass, $"spec.provider \"{provider}\" is not a valid provider name: use up to 30 letters, digits, '-' or '_'");
        }
        var socket = FindSocket(provider) ?? throw new SecretsStoreException(
            ErrorReason.FailedToLookupProviderGRPCClient,
            $"provider {provider} not found: no {provider}.sock in {string.Join(" or ", _directories)}; install the {provider} provider on this node or correct spec.provider");
        var client = _clients.GetOrAdd(socket, path => new Lazy<CSIDriverProvider.CSIDriverProviderClient>(() => CreateClient(path))).Value;
        return (client, socket);
    }

    private CSIDriverProvider.CSIDriverProviderClient CreateClient(string socket)
    {
        var retry = new MethodConfig
        {
            Names = { MethodName.Default },
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = 3,
                InitialBackoff = TimeSpan.FromSeconds(1),
                MaxBackoff = TimeSpan.FromSeconds(10),
                BackoffMultiplier = 1.1,
                RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
        var channel = GrpcEndpoint.CreateChannel("unix://" + socket, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = _maxReceiveMessageSize,
            ServiceConfig = new ServiceConfig { MethodConfigs = { retry } },
        });
        _channels.Add(channel);
        return new CSIDriverProvider.CSIDriverProviderClient(channel);
    }

    private SecretsStoreException MapFailure(string provider, string socket, string method, RpcException e, TimeSpan timeout)
    {
        var detail = e.Status.Detail;
        switch (e.StatusCode)
        {
            case StatusCode.DeadlineExceeded:
                return new SecretsStoreException(ErrorReason.ProviderTimeout, $"provider {provider} did not answer {method} within {timeout.TotalSeconds:0.#}s (--provider-timeout); check that the provider can reach its secret store", e)
                {
                    ProviderStatus = e.StatusCode,
                    MetricErrorType = nameof(ErrorReason.GRPCProviderError),
                };
            case StatusCode.ResourceExhausted:
                DriverLog.ProviderResponseTooLarge(_logger, provider);
                return new SecretsStoreException(ErrorReason.GRPCProviderError, $"provider {provider} answered {method} with more than {_maxReceiveMessageSize} bytes; raise --max-call-recv-msg-size or mount fewer objects", e)
                {
                    ProviderStatus = e.StatusCode,
                };
            case StatusCode.Unavailable:
                return new SecretsStoreException(ErrorReason.GRPCProviderError, $"provider {provider} is not answering on {socket}: {detail}; check that the provider is running", e)
                {
                    ProviderStatus = e.StatusCode,
                };
            case StatusCode.Unimplemented:
                return new SecretsStoreException(ErrorReason.GRPCProviderError, $"the server on {socket} does not implement {ApiVersion}.CSIDriverProvider/{method}; it is not a Secrets Store provider of a compatible version", e)
                {
                    ProviderStatus = e.StatusCode,
                };
            default:
                // Providers on our host start their message with a stable code, often the status's own name: say it once.
                var code = e.StatusCode.ToString();
                var said = detail.StartsWith(code + ": ", StringComparison.Ordinal) ? detail : $"{code}: {detail}";
                return new SecretsStoreException(ErrorReason.GRPCProviderError, $"provider {provider} failed {method}: {said}", e)
                {
                    ProviderStatus = e.StatusCode,
                };
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{0,30}$")]
    private static partial Regex ProviderName();
}
