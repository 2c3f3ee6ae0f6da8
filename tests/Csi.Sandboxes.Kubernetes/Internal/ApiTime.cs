using System.Globalization;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// <c>metav1.Time</c> (RFC 3339, written back in UTC with whole seconds) and <c>metav1.MicroTime</c> (RFC 3339 with
/// exactly six fractional digits, written back in UTC) as the API server decodes them: Go's <c>time.Parse</c> with
/// the layouts <c>2006-01-02T15:04:05Z07:00</c> and <c>2006-01-02T15:04:05.000000Z07:00</c>, and its error messages.
/// </summary>
internal static class ApiTime
{
    public const string TimeLayout = "2006-01-02T15:04:05Z07:00";
    public const string MicroTimeLayout = "2006-01-02T15:04:05.000000Z07:00";

    /// <summary>The text the API server stores for <paramref name="text"/>; throws <see cref="FormatException"/> with Go's message.</summary>
    public static string Canonical(string text, bool micro)
    {
        var layout = micro ? MicroTimeLayout : TimeLayout;
        var rest = text.AsSpan();

        int Number(ref ReadOnlySpan<char> value, int digits, string element, bool exact = true)
        {
            var n = 0;
            while (n < digits && n < value.Length && char.IsAsciiDigit(value[n]))
            {
                n++;
            }

            if (n == 0 || (exact && n < digits))
            {
                throw Error(text, layout, value, element);
            }

            var result = int.Parse(value[..n], NumberStyles.None, CultureInfo.InvariantCulture);
            value = value[n..];
            return result;
        }

        void Literal(ref ReadOnlySpan<char> value, char literal)
        {
            if (value.Length == 0 || value[0] != literal)
            {
                throw Error(text, layout, value, literal.ToString());
            }

            value = value[1..];
        }

        var year = Number(ref rest, 4, "2006");
        Literal(ref rest, '-');
        var month = Number(ref rest, 2, "01");
        Literal(ref rest, '-');
        var day = Number(ref rest, 2, "02");
        Literal(ref rest, 'T');
        var hour = Number(ref rest, 2, "15", exact: false);
        Literal(ref rest, ':');
        var minute = Number(ref rest, 2, "04");
        Literal(ref rest, ':');
        var second = Number(ref rest, 2, "05");

        long fractionTicks = 0;
        if (micro)
        {
            if (rest.Length < 7 || rest[0] != '.' || rest[1..7].ContainsAnyExceptInRange('0', '9'))
            {
                throw Error(text, layout, rest, ".000000");
            }

            fractionTicks = int.Parse(rest[1..7], NumberStyles.None, CultureInfo.InvariantCulture) * 10L;
            rest = rest[7..];
        }
        else if (rest.Length > 1 && rest[0] is '.' or ',' && char.IsAsciiDigit(rest[1]))
        {
            // time.Parse accepts a fraction after the seconds even when the layout has none.
            var n = 1;
            while (n < rest.Length && char.IsAsciiDigit(rest[n]))
            {
                n++;
            }

            rest = rest[n..];
        }

        TimeSpan offset;
        if (rest.Length >= 1 && rest[0] == 'Z')
        {
            offset = TimeSpan.Zero;
            rest = rest[1..];
        }
        else
        {
            if (rest.Length < 6 || rest[3] != ':' || rest[0] is not ('+' or '-')
                || !char.IsAsciiDigit(rest[1]) || !char.IsAsciiDigit(rest[2]) || !char.IsAsciiDigit(rest[4]) || !char.IsAsciiDigit(rest[5]))
            {
                throw Error(text, layout, rest, "Z07:00");
            }

            var offsetHours = int.Parse(rest[1..3], NumberStyles.None, CultureInfo.InvariantCulture);
            var offsetMinutes = int.Parse(rest[4..6], NumberStyles.None, CultureInfo.InvariantCulture);
            if (offsetHours > 24)
            {
                throw OutOfRange(text, "time zone offset hour");
            }

            if (offsetMinutes > 60)
            {
                throw OutOfRange(text, "time zone offset minute");
            }

            offset = new TimeSpan(offsetHours, offsetMinutes, 0) * (rest[0] == '-' ? -1 : 1);
            rest = rest[6..];
        }

        if (rest.Length > 0)
        {
            throw new FormatException($"parsing time {Quote(text)}: extra text: {Quote(rest.ToString())}");
        }

        if (month is < 1 or > 12)
        {
            throw OutOfRange(text, "month");
        }

        if (hour >= 24)
        {
            throw OutOfRange(text, "hour");
        }

        if (minute >= 60)
        {
            throw OutOfRange(text, "minute");
        }

        if (second >= 60)
        {
            throw OutOfRange(text, "second");
        }

        if (year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            throw new FormatException($"parsing time {Quote(text)}: day out of range");
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
        var utc = local - offset;
        return utc.ToString(micro ? "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'" : "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);
    }

    private static FormatException Error(string text, string layout, ReadOnlySpan<char> rest, string element) =>
        new($"parsing time {Quote(text)} as {Quote(layout)}: cannot parse {Quote(rest.ToString())} as {Quote(element)}");

    private static FormatException OutOfRange(string text, string what) =>
        new($"parsing time {Quote(text)}: {what} out of range");

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
