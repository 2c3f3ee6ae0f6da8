using System.Globalization;
using CsiProxy.Win.Api.DiskV1;
using CsiProxy.Win.Hosts;
using Csi.Common.Concurrency;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CsiProxy.Win.Groups;

/// <summary>The disk v1 group over the host's disks; calls on one disk run one at a time.</summary>
public sealed class DiskGroup : IDiskApi
{
    private readonly IDiskHost _host;
    private readonly ILogger _logger;
    private readonly KeyedLock _locks = new();

    public DiskGroup(IDiskHost host, ILogger<DiskGroup>? logger = null)
    {
        _host = host;
        _logger = logger ?? NullLogger<DiskGroup>.Instance;
    }

    public Task<ListDiskLocationsResponse> ListDiskLocationsAsync(ListDiskLocationsRequest request, CancellationToken cancellationToken = default)
    {
        var response = new ListDiskLocationsResponse();
        foreach (var (number, location) in _host.ListDiskLocations())
        {
            if (DiskLocationParser.Parse(location) is { } parsed)
            {
                response.DiskLocations[number] = parsed;
            }
        }
        return Task.FromResult(response);
    }

    public async Task<PartitionDiskResponse> PartitionDiskAsync(PartitionDiskRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using (await Lock(request.DiskNumber, cancellationToken).ConfigureAwait(false))
        {
            var layout = _host.GetLayout(request.DiskNumber);
            if (layout.IsRaw)
            {
                _host.InitializeGpt(request.DiskNumber);
                GroupLog.DiskInitialized(_logger, request.DiskNumber);
            }
            if (!layout.HasDataPartition)
            {
                _host.CreateMaximumPartition(request.DiskNumber);
                GroupLog.PartitionCreated(_logger, request.DiskNumber);
            }
        }
        return new PartitionDiskResponse();
    }

    public Task<RescanResponse> RescanAsync(RescanRequest request, CancellationToken cancellationToken = default)
    {
        _host.Rescan();
        return Task.FromResult(new RescanResponse());
    }

    public Task<ListDiskIDsResponse> ListDiskIDsAsync(ListDiskIDsRequest request, CancellationToken cancellationToken = default)
    {
        var response = new ListDiskIDsResponse();
        foreach (var (number, ids) in _host.ListDiskIds())
        {
            response.DiskIDs[number] = new DiskIDs { Page83 = ids.Page83, SerialNumber = ids.SerialNumber };
        }
        return Task.FromResult(response);
    }

    public Task<GetDiskStatsResponse> GetDiskStatsAsync(GetDiskStatsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(new GetDiskStatsResponse { TotalBytes = _host.GetSize(request.DiskNumber) });
    }

    public async Task<SetDiskStateResponse> SetDiskStateAsync(SetDiskStateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using (await Lock(request.DiskNumber, cancellationToken).ConfigureAwait(false))
        {
            if (_host.IsOnline(request.DiskNumber) != request.IsOnline)
            {
                _host.SetOnline(request.DiskNumber, request.IsOnline);
                GroupLog.DiskStateSet(_logger, request.DiskNumber, request.IsOnline);
            }
        }
        return new SetDiskStateResponse();
    }

    public Task<GetDiskStateResponse> GetDiskStateAsync(GetDiskStateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(new GetDiskStateResponse { IsOnline = _host.IsOnline(request.DiskNumber) });
    }

    private Task<IDisposable> Lock(uint diskNumber, CancellationToken cancellationToken)
        => _locks.AcquireAsync(diskNumber.ToString(CultureInfo.InvariantCulture), cancellationToken);
}
