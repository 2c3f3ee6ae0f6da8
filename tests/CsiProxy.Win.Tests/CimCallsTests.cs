using CsiProxy.Win.Cim;

namespace CsiProxy.Win.Tests;

public sealed class CimCallsTests
{
    [Fact]
    public void Smb_mapping_passes_the_root_credential_and_privacy_and_never_renders_the_password()
    {
        var call = CimCalls.CreateSmbGlobalMapping(@"\\server\share", @"DOMAIN\user", "s3cret:pass", requirePrivacy: true);

        Assert.Equal(("MSFT_SmbGlobalMapping", "Create", true), (call.ClassName, call.MethodName, call.IsStatic));
        Assert.Equal(CimNamespaces.Smb, call.Namespace);
        Assert.Equal(["RemotePath", "Credential", "RequirePrivacy"], call.Arguments.Select(a => a.Name));
        Assert.Equal(@"\\server\share", call.Arguments[0].Value);
        Assert.Equal(@"DOMAIN\\user:s3cret:pass", call.Arguments[1].Value);
        Assert.True(call.Arguments[1].IsSecret);
        Assert.Equal(true, call.Arguments[2].Value);
        Assert.DoesNotContain("s3cret", call.ToString());
        Assert.DoesNotContain("s3cret", call.Arguments[1].ToString());
        Assert.Contains("Credential=<redacted>", call.ToString());
    }

    [Fact]
    public void Smb_mapping_without_a_user_name_passes_no_credential()
    {
        var call = CimCalls.CreateSmbGlobalMapping(@"\\server\share", "", "", requirePrivacy: false);

        Assert.Equal(["RemotePath", "RequirePrivacy"], call.Arguments.Select(a => a.Name));
        Assert.Equal(false, call.Arguments[1].Value);
    }

    [Theory]
    [InlineData("user", "pw", "user:pw")]
    [InlineData(@"DOMAIN\user", "pw", @"DOMAIN\\user:pw")]
    [InlineData("us:er", "p:w", @"us\:er:p:w")]
    public void Smb_credential_escapes_the_user_name_only(string user, string password, string expected)
        => Assert.Equal(expected, SmbCredential.Format(user, password));

    [Fact]
    public void Storage_calls_map_their_arguments()
    {
        var init = CimCalls.InitializeDiskGpt();
        Assert.Equal(("MSFT_Disk", "Initialize"), (init.ClassName, init.MethodName));
        Assert.Equal((ushort)2, Assert.Single(init.Arguments).Value);

        var create = CimCalls.CreateMaximumPartition();
        Assert.Equal(["UseMaximumSize=True", "GptType={ebd0a0a2-b9e5-4433-87c0-68b6b72699c7}", "AssignDriveLetter=False"], create.Arguments.Select(a => a.ToString()));

        var format = CimCalls.FormatNtfs();
        Assert.Equal("MSFT_Volume.Format(FileSystem=NTFS, Full=False, Force=True)", format.ToString());

        var resize = CimCalls.ResizePartition(5UL << 30);
        Assert.Equal(5UL << 30, Assert.Single(resize.Arguments).Value);
        Assert.IsType<ulong>(resize.Arguments[0].Value);

        Assert.Equal("Online", CimCalls.SetDiskOnline(true).MethodName);
        Assert.Equal("Offline", CimCalls.SetDiskOnline(false).MethodName);
        Assert.True(CimCalls.UpdateHostStorageCache().IsStatic);
        Assert.Equal("MSFT_SmbGlobalMapping.Remove(Force=True)", CimCalls.RemoveSmbGlobalMapping().ToString());
        Assert.Equal(CimNamespaces.CimV2, CimCalls.StartService().Namespace);
    }

    [Theory]
    [InlineData("Win32_Service", 3u, "code 3 (dependent services are running)")]
    [InlineData("Win32_Service", 10u, "code 10 (the service is already running)")]
    [InlineData("MSFT_Disk", 42002u, "code 42002 (access path in use)")]
    [InlineData("MSFT_Volume", 77u, "code 77")]
    public void Return_codes_are_named(string className, uint code, string text)
        => Assert.Equal(text, CimReturnCodes.Describe(className, code));
}
