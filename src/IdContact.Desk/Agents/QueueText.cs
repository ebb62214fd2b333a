using System.Globalization;

namespace IdContact.Desk.Agents;

/// <summary>A queue line as people read it ("Telefoon: 3 bellers wachten, de eerste sinds 10:02 (4 min)"), Dutch first: the overview's panel and the staffing page say it alike.</summary>
public static class QueueText
{
    public static string Calls(QueueLine line, bool english, DateTimeOffset now) =>
        Line(line, english, now, english ? ("Phone", "caller is waiting", "callers are waiting") : ("Telefoon", "beller wacht", "bellers wachten"));

    public static string Chats(QueueLine line, bool english, DateTimeOffset now) =>
        Line(line, english, now, english ? ("Chat", "chat is waiting", "chats are waiting") : ("Chat", "chat wacht", "chats wachten"));

    private static string Line(QueueLine line, bool english, DateTimeOffset now, (string Channel, string One, string Many) words)
    {
        if (line.Count == 0)
        {
            return $"{words.Channel}: " + (english ? "nobody is waiting." : "niemand wacht.");
        }

        var culture = CultureInfo.GetCultureInfo(english ? "en-GB" : "nl-NL");
        var count = line.MoreThanCounted
            ? (english ? "more than " : "meer dan ") + ContactQueue.Cap.ToString("N0", culture) + " " + words.Many
            : line.Count == 1 ? $"1 {words.One}" : $"{line.Count} {words.Many}";
        var since = DutchTime.Of(line.Oldest!.Value).ToString("HH:mm", CultureInfo.InvariantCulture);
        var minutes = Math.Max(0, (int)(now - line.Oldest.Value).TotalMinutes);
        return line.Count == 1
            ? $"{words.Channel}: {count}, " + (english ? $"since {since} ({minutes} min)" : $"sinds {since} ({minutes} min)")
            : $"{words.Channel}: {count}, " + (english ? $"the first since {since} ({minutes} min)" : $"de eerste sinds {since} ({minutes} min)");
    }
}
