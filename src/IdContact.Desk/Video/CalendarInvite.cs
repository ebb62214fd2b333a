using System.Globalization;
using System.Text;

namespace IdContact.Desk.Video;

/// <summary>One appointment as a calendar event: the same UID in the invitation and in its cancellation.</summary>
public sealed record CalendarEvent(
    string Uid, DateTimeOffset Stamp, DateTimeOffset Start, DateTimeOffset End, string Summary, string Description, string? Url,
    string OrganizerName, string OrganizerAddress, string AttendeeAddress);

/// <summary>
/// iCalendar (RFC 5545) messages in the iTIP sense (RFC 5546): METHOD:REQUEST invites, METHOD:CANCEL with the same UID
/// and a higher SEQUENCE makes calendar programs remove the event. UTC times, escaped text, folded CRLF lines.
/// </summary>
public static class CalendarInvite
{
    /// <summary>SEQUENCE of the invitation; an appointment is never moved, only booked once and perhaps cancelled.</summary>
    public const int RequestSequence = 0;

    /// <summary>SEQUENCE of the cancellation: higher than the invitation's, so it supersedes it.</summary>
    public const int CancelSequence = 1;

    public static string Request(CalendarEvent e) => Create(e, "REQUEST", "CONFIRMED", RequestSequence);

    public static string Cancel(CalendarEvent e) => Create(e, "CANCEL", "CANCELLED", CancelSequence);

    private static string Create(CalendarEvent e, string method, string status, int sequence)
    {
        var lines = new List<string>
        {
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//IdContact//Videoafspraak//NL",
            "CALSCALE:GREGORIAN",
            "METHOD:" + method,
            "BEGIN:VEVENT",
            "UID:" + Text(e.Uid),
            "DTSTAMP:" + Utc(e.Stamp),
            "DTSTART:" + Utc(e.Start),
            "DTEND:" + Utc(e.End),
            "SUMMARY:" + Text(e.Summary),
            "DESCRIPTION:" + Text(e.Description),
        };
        if (e.Url is not null)
        {
            lines.Add("URL:" + e.Url);
            lines.Add("LOCATION:" + Text(e.Url));
        }

        lines.AddRange(
        [
            $"ORGANIZER;CN={Quoted(e.OrganizerName)}:mailto:{e.OrganizerAddress}",
            // iTIP: a REQUEST names its attendees, a CANCEL of the whole event names them all again.
            $"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{e.AttendeeAddress}",
            "STATUS:" + status,
            "SEQUENCE:" + sequence.ToString(CultureInfo.InvariantCulture),
            "END:VEVENT",
            "END:VCALENDAR",
        ]);
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            Fold(text, line);
        }

        return text.ToString();
    }

    /// <summary>A parameter value in quotes; quotes and control characters cannot appear in one (RFC 5545 3.1).</summary>
    private static string Quoted(string value) => "\"" + new string(value.Where(c => c != '"' && !char.IsControl(c)).ToArray()) + "\"";

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
