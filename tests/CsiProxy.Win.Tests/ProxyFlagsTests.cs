using System.Net;
using Csi.Common.Flags;
using CsiProxy.Win.Server;

namespace CsiProxy.Win.Tests;

public sealed class ProxyFlagsTests
{
    [Fact]
    public void Defaults_are_upstreams()
    {
        var options = ProxyFlags.Parse([]);

        Assert.Equal(@"C:\var\lib\kubelet", options.KubeletPath);
        Assert.Empty(options.WorkingDirs);
        Assert.True(options.RequirePrivacy);
        Assert.False(options.WindowsService);
        Assert.Null(options.MetricsEndPoint);
        Assert.Equal(0, options.Verbosity);
        Assert.Equal(["MSiSCSI"], options.ServiceAllowList().Names);
    }

    [Fact]
    public void Single_dash_Go_style_flags_as_in_upstream_install_lines_are_accepted()
    {
        var options = ProxyFlags.Parse([
            "-kubelet-path", @"D:\kubelet", "-working-dir=E:\\csi", "-working-dir", @"F:\more",
            "-windows-service", "-require-privacy=false", "-metrics-bind-address=:8888", "-v=4", "--allow-service=W32Time",
        ]);

        Assert.Equal(@"D:\kubelet", options.KubeletPath);
        Assert.Equal([@"E:\csi", @"F:\more"], options.WorkingDirs);
        Assert.True(options.WindowsService);
        Assert.False(options.RequirePrivacy);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 8888), options.MetricsEndPoint);
        Assert.Equal(4, options.Verbosity);
        Assert.Equal(["W32Time"], options.ServiceAllowList().Names);
        Assert.Equal([@"D:\kubelet", @"E:\csi", @"F:\more"], options.PathRules().Roots);
    }

    [Fact]
    public void The_klog_flags_of_upstreams_service_install_line_are_accepted()
    {
        var options = ProxyFlags.Parse(["-windows-service", @"-log_file=C:\etc\kubernetes\logs\csi-proxy.log", "-logtostderr=false"]);

        Assert.Equal(@"C:\etc\kubernetes\logs\csi-proxy.log", options.LogFile);
        Assert.False(options.LogToStderr);
    }

    [Theory]
    [InlineData("-kubelet-path=relative", "--kubelet-path")]
    [InlineData(@"-kubelet-path=C:\", "--kubelet-path")]
    [InlineData(@"-working-dir=\\server\share", "--working-dir")]
    [InlineData("-metrics-bind-address=nowhere", "--metrics-bind-address")]
    [InlineData("-require-privacy=maybe", "--require-privacy")]
    [InlineData("-v=-1", "--v")]
    [InlineData("-allow-service=a/b", "--allow-service")]
    [InlineData("-service-account=x", "--service-account")]
    public void A_bad_flag_is_refused_naming_it(string arg, string flag)
    {
        var e = Assert.Throws<FlagException>(() => ProxyFlags.Parse([arg]));

        Assert.Contains(flag, e.Message);
    }

    [Fact]
    public void Verbosity_follows_klog_levels()
    {
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, ProxyApp.LogLevelFor(0));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, ProxyApp.LogLevelFor(2));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Trace, ProxyApp.LogLevelFor(5));
    }

    [Fact]
    public void Pipe_names_are_upstreams()
    {
        Assert.Equal(
            [@"\\.\pipe\csi-proxy-disk-v1", @"\\.\pipe\csi-proxy-volume-v1", @"\\.\pipe\csi-proxy-filesystem-v1", @"\\.\pipe\csi-proxy-smb-v1", @"\\.\pipe\csi-proxy-system-v1alpha1"],
            ApiGroup.Served.Select(g => g.PipePath));
    }

    [Fact]
    public void The_pipe_descriptor_grants_Administrators_and_SYSTEM_only_and_inherits_nothing()
    {
        Assert.Equal("O:BAD:P(A;;FA;;;BA)(A;;FA;;;SY)", PipeAcl.Sddl);
        Assert.DoesNotContain("WD", PipeAcl.Sddl);
        Assert.DoesNotContain("BU", PipeAcl.Sddl);
        Assert.DoesNotContain("AU", PipeAcl.Sddl);
    }
}
