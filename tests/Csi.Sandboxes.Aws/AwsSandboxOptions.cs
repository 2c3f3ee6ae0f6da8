using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Aws;

/// <summary>How an <see cref="AwsSandbox"/> starts.</summary>
public sealed class AwsSandboxOptions
{
    /// <summary>The 12-digit account every role, secret and parameter belongs to.</summary>
    public string AccountId { get; set; } = "111122223333";

    /// <summary>The sandbox clock: credential and token expiry, request-date skew, created/modified dates.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Signer of the pod service-account tokens STS and the Pod Identity agent accept; one is created when null.</summary>
    public ServiceAccountTokenIssuer? TokenIssuer { get; set; }

    /// <summary>
    /// The longest session a role allows (IAM's <c>MaxSessionDuration</c>, 1 hour by default as in IAM); STS rejects a
    /// larger <c>DurationSeconds</c>, and it is the lifetime of STS credentials when none is asked for.
    /// </summary>
    public TimeSpan MaxSessionDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Lifetime of the credentials the Pod Identity agent hands out (the agent serves 6-hour credentials).</summary>
    public TimeSpan PodIdentityCredentialLifetime { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How far a request's <c>X-Amz-Date</c> may be from the sandbox clock (AWS allows 5 minutes).</summary>
    public TimeSpan AllowedClockSkew { get; set; } = TimeSpan.FromMinutes(5);
}
