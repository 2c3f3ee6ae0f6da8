namespace Csi.Providers.Vault;

/// <summary>How a request to Vault failed.</summary>
internal enum VaultFailure
{
    /// <summary>Vault answered with an error status.</summary>
    Status,

    /// <summary>No connection (refused, reset, DNS).</summary>
    Connection,

    /// <summary>No answer within the client timeout.</summary>
    Timeout,

    /// <summary>The TLS handshake failed (untrusted or mismatched certificate, mTLS refused).</summary>
    Tls,

    /// <summary>An answer that is not a Vault response.</summary>
    BadResponse,
}
