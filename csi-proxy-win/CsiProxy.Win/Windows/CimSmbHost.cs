using System.Runtime.Versioning;
using CsiProxy.Win.Cim;
using CsiProxy.Win.Hosts;

namespace CsiProxy.Win.Windows;

/// <summary>SMB global mappings through MSFT_SmbGlobalMapping. Errors name the share only.</summary>
[SupportedOSPlatform("windows")]
public sealed class CimSmbHost : ISmbHost
{
    private const uint StatusOk = 0;

    private readonly CimConnection _cim;

    public CimSmbHost(CimConnection cim)
    {
        _cim = cim;
    }

    public SmbMappingState GetMappingState(string remoteRoot)
    {
        var mappings = _cim.Query(CimNamespaces.Smb, CimQueries.SmbGlobalMapping(remoteRoot));
        if (mappings.Count == 0)
        {
            return SmbMappingState.None;
        }
        return mappings.Any(m => CimValues.UInt32(m, "Status") == StatusOk) ? SmbMappingState.Ok : SmbMappingState.Broken;
    }

    public void CreateMapping(string remoteRoot, string username, string password, bool requirePrivacy)
        => _cim.Invoke(CimCalls.CreateSmbGlobalMapping(remoteRoot, username, password, requirePrivacy), null);

    public void RemoveMapping(string remoteRoot)
    {
        foreach (var mapping in _cim.Query(CimNamespaces.Smb, CimQueries.SmbGlobalMapping(remoteRoot)))
        {
            _cim.Invoke(CimCalls.RemoveSmbGlobalMapping(), mapping);
        }
    }
}
