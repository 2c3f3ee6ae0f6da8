using System.Text;
using Csi.ProviderHost.Json;

namespace Csi.ProviderHost.Tests;

/// <summary>Go's encoding/json string escaping (json.Marshal, HTML escaping on) and map key order.</summary>
public class GoJsonTextTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"")]
    [InlineData("\u0001\u001f", "\"\\u0001\\u001f\"")]
    [InlineData("<a&b>", "\"\\u003ca\\u0026b\\u003e\"")]
    [InlineData("\u2028\u2029", "\"\\u2028\\u2029\"")]
    [InlineData("caf\u00e9 \U0001F600", "\"caf\u00e9 \U0001F600\"")]
    [InlineData("\u007f", "\"\u007f\"")]
    public void WriteString_EscapesAsGoDoes(string text, string expected)
    {
        var builder = new StringBuilder();
        GoJsonText.WriteString(builder, text);
        Assert.Equal(expected, builder.ToString());
    }

    [Fact]
    public void WriteString_AnUnpairedSurrogate_IsTheReplacementCharacter()
    {
        // Built here, not as theory data: a lone surrogate does not survive the test runner's serialisation.
        var builder = new StringBuilder();
        GoJsonText.WriteString(builder, "high " + (char)0xD800 + " low " + (char)0xDC00 + " pair \U0001F600");
        Assert.Equal("\"high \ufffd low \ufffd pair \U0001F600\"", builder.ToString());
    }

    [Fact]
    public void KeyOrder_IsUtf8ByteOrder_NotUtf16Order()
    {
        // In UTF-16 code units U+1F600 (D83D DE00) comes before U+FF5E; Go compares UTF-8 bytes, where
        // EF BD 9E (U+FF5E) comes before F0 9F 98 80 (U+1F600).
        string[] keys = ["\U0001F600", "\uFF5E", "b", "B", "a", "", "ab"];
        Assert.Equal(["", "B", "a", "ab", "b", "\uFF5E", "\U0001F600"], keys.Order(GoJsonText.KeyOrder).ToArray());
        Assert.True(string.CompareOrdinal("\U0001F600", "\uFF5E") < 0, "UTF-16 order puts the surrogate pair first");
    }
}
