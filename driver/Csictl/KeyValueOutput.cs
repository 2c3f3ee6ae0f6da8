namespace Csictl;

/// <summary>Human output: <c>key: value</c> lines with the values lined up.</summary>
internal sealed class KeyValueOutput
{
    private readonly List<(string Key, string Value)> _lines = [];

    public KeyValueOutput Add(string key, string value)
    {
        _lines.Add((key, value));
        return this;
    }

    public void WriteTo(TextWriter writer)
    {
        var width = _lines.Count == 0 ? 0 : _lines.Max(l => l.Key.Length) + 1;
        foreach (var (key, value) in _lines)
        {
            writer.WriteLine($"{(key + ":").PadRight(width)} {value}".TrimEnd());
        }
    }
}
