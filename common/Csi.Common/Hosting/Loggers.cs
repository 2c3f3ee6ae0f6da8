using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Csi.Common.Hosting;

/// <summary>Loggers for the objects a host wires up by hand.</summary>
public static class Loggers
{
    /// <summary>
    /// The logger of category <typeparamref name="T"/>, made by the logger factory. Resolving <c>ILogger&lt;T&gt;</c>
    /// from the container closes the open generic at run time, which a Native AOT binary does by building the type
    /// there; <c>CreateLogger&lt;T&gt;</c> is compiled ahead of time.
    /// </summary>
    public static ILogger<T> LoggerFor<T>(this IServiceProvider services)
        => services.GetRequiredService<ILoggerFactory>().CreateLogger<T>();
}
