using System.Text;
using System.Text.Json;
using Csi.ProviderHost.Yaml;
using YamlDotNet.RepresentationModel;

namespace Csi.ProviderHost.Tests;

/// <summary>
/// Pins, case by case, how Go's YAML parsers read the plain scalars users write in SecretProviderClass parameters;
/// every provider reads its parameters through <see cref="GoYaml"/>, so these cases hold for all of them.
/// </summary>
public sealed class GoYamlTests
{
    [Theory]
    [InlineData("v:", true)]
    [InlineData("v: ~", true)]
    [InlineData("v: null", true)]
    [InlineData("v: Null", true)]
    [InlineData("v: NULL", true)]
    [InlineData("v: !!null null", true)]
    [InlineData("v: nULL", false)]
    [InlineData("v: 'null'", false)]
    [InlineData("v: \"~\"", false)]
    [InlineData("v: !!str null", false)]
    [InlineData("v: |\n  null", false)]
    [InlineData("v: none", false)]
    [InlineData("v: []", false)]
    public void IsNull_FollowsGo(string yaml, bool expected)
        => Assert.Equal(expected, GoYaml.IsNull(Value(yaml)));

    [Theory]
    [InlineData("v: yes", "true")]
    [InlineData("v: On", "true")]
    [InlineData("v: Y", "true")]
    [InlineData("v: TRUE", "true")]
    [InlineData("v: no", "false")]
    [InlineData("v: off", "false")]
    [InlineData("v: 'yes'", "yes")]
    [InlineData("v: !!str on", "on")]
    [InlineData("v: 0x1F", "31")]
    [InlineData("v: -0x10", "-16")]
    [InlineData("v: 0o17", "15")]
    [InlineData("v: 017", "15")]
    [InlineData("v: 0b101", "5")]
    [InlineData("v: 1_000", "1000")]
    [InlineData("v: +42", "42")]
    [InlineData("v: '017'", "017")]
    [InlineData("v: 9223372036854775808", "9223372036854775808")]
    [InlineData("v: 1.5", "1.5")]
    [InlineData("v: AWSCURRENT", "AWSCURRENT")]
    public void ToGoString_ReadsScalarsAsSigsK8sYaml(string yaml, string expected)
        => Assert.Equal(expected, GoYaml.ToGoString((YamlScalarNode)Value(yaml)));

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("644", 644L)]
    [InlineData("0644", 420L)]
    [InlineData("0o644", 420L)]
    [InlineData("0O644", 420L)]
    [InlineData("0x1a4", 420L)]
    [InlineData("0b110100100", 420L)]
    [InlineData("-1", -1L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void TryParseInt_AcceptsWhatStrconvParseIntBase0Accepts(string text, long expected)
    {
        Assert.True(GoYaml.TryParseInt(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    [InlineData("0x")]
    [InlineData("08")]
    [InlineData("0b2")]
    [InlineData("12a")]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("1.0")]
    public void TryParseInt_RejectsWhatStrconvParseIntBase0Rejects(string text)
        => Assert.False(GoYaml.TryParseInt(text, out _));

    [Fact]
    public void WriteJson_WritesWhatYamlV3DecodesIntoInterface()
    {
        var json = Json("v: {a: 1, b: true, c: null, d: \"x\", e: 0x10, f: 1.5, g: yes, h: [1, '2'], i: 18446744073709551615}");

        Assert.Equal("{\"a\":1,\"b\":true,\"c\":null,\"d\":\"x\",\"e\":16,\"f\":1.5,\"g\":\"yes\",\"h\":[1,\"2\"],\"i\":18446744073709551615}", json);
    }

    [Theory]
    [InlineData("v: {x: .inf}")]
    [InlineData("v: {x: !!int abc}")]
    public void WriteJson_RefusesWhatJsonCannotCarry_NamingTheField(string yaml)
    {
        var e = Assert.Throws<ProviderException>(() => Json(yaml));
        Assert.StartsWith("args.x:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFirstDocument_OfNothing_IsNull()
        => Assert.Null(GoYaml.LoadFirstDocument(""));

    [Theory]
    [InlineData("- a: [1, 2\n- b", 0)]
    [InlineData("a: b: c", 1)]
    public void LoadFirstDocument_OfMalformedYaml_SaysWhereWithoutRepeatingTheInput(string yaml, int line)
    {
        var e = Assert.Throws<YamlSyntaxException>(() => GoYaml.LoadFirstDocument(yaml));

        if (line > 0)
        {
            Assert.Equal(line, e.Line);
            Assert.StartsWith($"at line {line}, column ", e.Where, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("(Line:", e.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Reason);
    }

    [Theory]
    [InlineData("v: {a: 1}", "mapping")]
    [InlineData("v: [1]", "list")]
    [InlineData("v: x", "single value")]
    public void Kind_NamesTheNode(string yaml, string expected)
        => Assert.Equal(expected, GoYaml.Kind(Value(yaml)));

    private static YamlNode Value(string yaml)
        => ((YamlMappingNode)GoYaml.LoadFirstDocument(yaml)!).Children[new YamlScalarNode("v")];

    private static string Json(string yaml)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            GoYaml.WriteJson(writer, Value(yaml), "args");
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
