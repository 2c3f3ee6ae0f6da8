using CsiProxy.Win.Cim;

namespace CsiProxy.Win.Tests;

public sealed class CimQueryTests
{
    [Fact]
    public void Build_renders_typed_conditions()
        => Assert.Equal(
            "SELECT Number, Location FROM MSFT_Disk WHERE Number = 3 AND IsOffline = FALSE",
            CimQuery.From("MSFT_Disk").Select("Number", "Location").Where("Number", 3u).Where("IsOffline", false).Build());

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData(@"\\?\Volume{x}\", @"'\\\\?\\Volume{x}\\'")]
    [InlineData("x' OR '1'='1", @"'x\' OR \'1\'=\'1'")]
    [InlineData("a\"b", "'a\\\"b'")]
    [InlineData(@"\\server\share", @"'\\\\server\\share'")]
    public void Quote_escapes_backslashes_and_quotes(string value, string literal)
        => Assert.Equal(literal, CimQuery.Quote(value));

    [Fact]
    public void An_injection_attempt_stays_inside_one_literal()
    {
        var query = CimQueries.SmbGlobalMapping(@"\\s\x' OR RemotePath LIKE '%");

        Assert.Equal(@"SELECT * FROM MSFT_SmbGlobalMapping WHERE RemotePath = '\\\\s\\x\' OR RemotePath LIKE \'%'", query);
        Assert.Single(query.Split(" AND "));
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\0b")]
    [InlineData("a\rb")]
    public void Control_characters_are_refused(string value)
        => Assert.Throws<ArgumentException>(() => CimQuery.Quote(value));

    [Theory]
    [InlineData("MSFT_Disk WHERE 1=1 --")]
    [InlineData("")]
    [InlineData("1Disk")]
    [InlineData("Disk;")]
    public void Class_and_property_names_must_be_identifiers(string name)
    {
        Assert.Throws<ArgumentException>(() => CimQuery.From(name));
        Assert.Throws<ArgumentException>(() => CimQuery.From("MSFT_Disk").Where(name, 1u));
        Assert.Throws<ArgumentException>(() => CimQuery.From("MSFT_Disk").Select(name));
    }

    [Fact]
    public void The_host_layer_queries_are_the_expected_WQL()
    {
        Assert.Equal("SELECT * FROM MSFT_Partition WHERE DiskNumber = 2 AND PartitionNumber = 1", CimQueries.Partition(2, 1));
        Assert.Equal(@"SELECT * FROM MSFT_Volume WHERE UniqueId = '\\\\?\\Volume{a}\\'", CimQueries.Volume(@"\\?\Volume{a}\"));
        Assert.Equal("SELECT * FROM Win32_Service WHERE Name = 'MSiSCSI'", CimQueries.Service("MSiSCSI"));
        Assert.Equal("ASSOCIATORS OF {Win32_Service.Name='MSiSCSI'} WHERE AssocClass = Win32_DependentService Role = Antecedent", CimQueries.DependentServices("MSiSCSI"));
        Assert.Equal("SELECT Number, Location, Path, SerialNumber FROM MSFT_Disk", CimQueries.AllDisks());
    }
}
