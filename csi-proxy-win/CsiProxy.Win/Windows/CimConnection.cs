using System.Runtime.Versioning;
using CsiProxy.Win.Cim;
using Microsoft.Management.Infrastructure;

namespace CsiProxy.Win.Windows;

/// <summary>
/// One local CIM session for the whole process, created on first use and reused by every call (a session per
/// call costs a WMI connection each time). Runs only the queries of <see cref="CimQueries"/> and the calls of
/// <see cref="CimCalls"/>; a failed call reports the class, method and code, never its arguments.
/// </summary>
[SupportedOSPlatform("windows")]
public sealed class CimConnection : IDisposable
{
    private const string QueryDialect = "WQL";

    private readonly Lock _lock = new();
    private CimSession? _current;

    public IReadOnlyList<CimInstance> Query(string cimNamespace, string query)
    {
        try
        {
            return Session.QueryInstances(cimNamespace, QueryDialect, query).ToList();
        }
        catch (CimException e)
        {
            throw new ProxyException(ProxyErrorCode.Internal, $"CIM query on {cimNamespace} failed: {e.Message}", e);
        }
    }

    public CimInstance? QuerySingle(string cimNamespace, string query)
    {
        var instances = Query(cimNamespace, query);
        return instances.Count == 0 ? null : instances[0];
    }

    public IReadOnlyList<CimInstance> Associated(string cimNamespace, CimInstance source, string association, string resultClass)
    {
        try
        {
            return Session.EnumerateAssociatedInstances(cimNamespace, source, association, resultClass, null, null).ToList();
        }
        catch (CimException e)
        {
            throw new ProxyException(ProxyErrorCode.Internal, $"CIM association {association} failed: {e.Message}", e);
        }
    }

    /// <summary>Invokes the call on <paramref name="instance"/> (null for a static call); returns its out parameters, or throws when it returns a code other than 0 or one of <paramref name="accepted"/>.</summary>
    public CimMethodResult Invoke(CimMethodCall call, CimInstance? instance, params uint[] accepted)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var parameters = new CimMethodParametersCollection();
        foreach (var argument in call.Arguments)
        {
            parameters.Add(CimMethodParameter.Create(argument.Name, argument.Value, CimFlags.In));
        }
        CimMethodResult result;
        try
        {
            result = instance is null
                ? Session.InvokeMethod(call.Namespace, call.ClassName, call.MethodName, parameters)
                : Session.InvokeMethod(call.Namespace, instance, call.MethodName, parameters);
        }
        catch (CimException e)
        {
            throw new ProxyException(ProxyErrorCode.Internal, $"{call.ClassName}.{call.MethodName} failed: {e.Message}", e);
        }
        var code = Convert.ToUInt32(result.ReturnValue?.Value ?? 0u, System.Globalization.CultureInfo.InvariantCulture);
        if (code != 0 && Array.IndexOf(accepted, code) < 0)
        {
            throw new ProxyException(ProxyErrorCode.Internal, $"{call.ClassName}.{call.MethodName} returned {CimReturnCodes.Describe(call.ClassName, code)}");
        }
        return result;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _current?.Dispose();
            _current = null;
        }
    }

    private CimSession Session
    {
        get
        {
            lock (_lock)
            {
                return _current ??= CimSession.Create(null);
            }
        }
    }
}
