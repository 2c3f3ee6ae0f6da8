using Csi.Common.Flags;
using CsiProxy.Win.Server;
using CsiProxy.Win.Windows;

var (options, exitCode) = CommandLineEntry.Parse(
    ProxyFlags.Program,
    () => ProxyFlags.Parse(args),
    o => o.ShowHelp ? ProxyFlags.Create(new ProxyOptions()).Usage() : o.ShowVersion ? $"{ProxyFlags.Program} {ProxyApp.Version}\n" : null,
    Console.Out,
    Console.Error);
if (exitCode is { } code)
{
    return code;
}
if (!OperatingSystem.IsWindows())
{
    await Console.Error.WriteLineAsync($"{ProxyFlags.Program}: runs on Windows only (its host layer is CIM and Win32)").ConfigureAwait(false);
    return 1;
}

if (!options!.LogToStderr && options.LogFile.Length > 0)
{
    // As klog does for a service: the console logger writes to whatever Console.Out is when the host is built.
    var log = new StreamWriter(new FileStream(options.LogFile, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    Console.SetOut(log);
    Console.SetError(log);
}

using var host = new WindowsHost();
var app = ProxyApp.Build(options, new ProxyHosts(host.Disks, host.Volumes, host.Files, host.Smb, host.System), new NamedPipeListeners());
await app.RunAsync().ConfigureAwait(false);
return 0;
