using Microsoft.AspNetCore.Builder;

namespace Csi.Common;

/// <summary>
/// The web host every binary of the suite starts from. The stock builder makes the working directory its
/// content root and watches it recursively for configuration changes: from "/" on a node that is tens of
/// thousands of inotify watches, seconds of start-up and megabytes of memory. Ours reads no configuration
/// files, so the root is the binary's own directory and nothing is watched.
/// </summary>
public static class SlimHost
{
    public static WebApplicationBuilder CreateBuilder()
        => WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
}
