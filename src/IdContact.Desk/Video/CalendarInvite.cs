using System.Globalization;
using System.Text;

namespace IdContact.Desk.Video;

/// <summary>An iCalendar (RFC 5545) invitation with METHOD:REQUEST: UTC times, escaped text, folded CRLF lines.</summary>
public static class CalendarInvite
{
    public static string Create(string uid, DateTimeOffset stamp, DateTimeOffset start, DateTimeOffset end, string summary, string description, string url, string organizerName, string organizerAddress)
    {
        var lines = new List<string>
        {
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//IdContact//Videoafspraak//NL",
            "CALSCALE:GREGORIAN",
            "METHOD:REQUEST",
            "BEGIN:VEVENT",
            "UID:" + Text(uid),
            "DTSTAMP:" + Utc(stamp),
            "DTSTART:" + Utc(start),
            "DTEND:" + Utc(end),
            "SUMMARY:" + Text(summary),
            "DESCRIPTION:" + Text(description),
            "URL:" + url,
            "LOCATION:" + Text(url),
            $"ORGANIZER;CN=\"{organizerName.Replace("\"", "", StringComparison.Ordinal)}\":mailto:{organizerAddress}",
            "STATUS:CONFIRMED",
            "SEQUENCE:0",
            "END:VEVENT",
            "END:VCALENDAR",
        };
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            Fold(text, line);
        }

        return text.ToString();
    }

    public static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>TEXT escaping: backslash, semicolon, comma and newlines.</summary>
    public static string Text(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace(";", "\\;", StringComparison.Ordinal)
        .Replace(",", "\\,", StringComparison.Ordinal)
        .Replace("\r\n", "\\n", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal)
        .Replace("\r", "", StringComparison.Ordinal);

    /// <summary>Lines longer than 75 octets continue on the next line after CRLF and a space, never inside a UTF-8 character.</summary>
    private static void Fold(StringBuilder text, string line)
    {
        var octets = 0;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (octets + size > 75)
            {
                text.Append("\r\n ");
                octets = 1;
            }

            text.Append(rune.ToString());
            octets += size;
        }

        text.Append("\r\n");
    }
}
