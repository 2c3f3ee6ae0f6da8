using System.Globalization;
using Google.Protobuf.Reflection;

namespace Csictl;

internal static class ProtoEnum
{
    /// <summary>The value's name as the spec writes it (SINGLE_NODE_WRITER), not the C# name.</summary>
    public static string Name(EnumDescriptor descriptor, int number) =>
        descriptor.FindValueByNumber(number)?.Name ?? number.ToString(CultureInfo.InvariantCulture);
}
