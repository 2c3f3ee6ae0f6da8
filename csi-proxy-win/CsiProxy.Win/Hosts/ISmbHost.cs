namespace CsiProxy.Win.Hosts;

/// <summary>The host's SMB global mappings (MSFT_SmbGlobalMapping). Remote roots are \\server\share in lower case.</summary>
public interface ISmbHost
{
    SmbMappingState GetMappingState(string remoteRoot);

    /// <summary>Maps the share for every session on the host. The password goes to the OS only: never into a log or an error.</summary>
    void CreateMapping(string remoteRoot, string username, string password, bool requirePrivacy);

    void RemoveMapping(string remoteRoot);
}

public enum SmbMappingState
{
    None,
    Ok,
    /// <summary>Mapped, but in another status than OK (disconnected, unavailable...).</summary>
    Broken,
}
