using System.Globalization;
using IdContact.Desk.Agents;
using Microsoft.AspNetCore.Http;

namespace IdContact.Desk.Admin;

/// <summary>
/// What the access log is asked for: an agent's user name, a session id, a period of whole days in Europe/Amsterdam
/// (as every desk page shows times), an action and a resident (<see cref="Subject"/>); all optional. Parsed from the
/// query string, never trusted.
/// </summary>
/// <param name="Subject">
/// The keyed pseudonym of a resident's BSN (<see cref="SubjectPseudonyms"/>), never the BSN: the BSN is posted, and the
/// links, the download and the admin audit carry only this.
/// </param>
public sealed record AccessLogFilter(string Agent, string Session, DateOnly? From, DateOnly? To, string Action, int Page, string Subject = "")
{
    /// <summary>How much of <see cref="Subject"/> the admin audit keeps: enough to tell searches for one resident apart, never the BSN.</summary>
    public const int SubjectShown = 8;

    /// <summary>Identity's longest user name.</summary>
    public const int MaxAgentLength = 256;

    /// <summary>The longest session id the desk stores.</summary>
    public const int MaxSessionLength = 64;

    private static readonly DateOnly Earliest = new(2000, 1, 1);
    private static readonly DateOnly Latest = new(9998, 12, 31);

    public static readonly AccessLogFilter None = new("", "", null, null, "", 1);

    /// <summary>The period's first instant, in UTC (inclusive).</summary>
    public DateTimeOffset? FromUtc => From is { } day ? StartOf(day) : null;

    /// <summary>The instant after the period's last day, in UTC (exclusive).</summary>
    public DateTimeOffset? ToUtcExclusive => To is { } day ? StartOf(day.AddDays(1)) : null;

    /// <summary>The filter as query parameters (without the page), for paging links and the download.</summary>
    public IEnumerable<KeyValuePair<string, string>> Query()
    {
        if (Agent.Length > 0)
        {
            yield return new("agent", Agent);
        }

        if (Session.Length > 0)
        {
            yield return new("session", Session);
        }

        if (From is { } from)
        {
            yield return new("from", Day(from));
        }

        if (To is { } to)
        {
            yield return new("to", Day(to));
        }

        if (Action.Length > 0)
        {
            yield return new("action", Action);
        }

        if (Subject.Length > 0)
        {
            yield return new("subject", Subject);
        }
    }

    /// <summary>
    /// The filter as the administrator audit keeps it (user names, session ids, days, action, and for a resident "bsn="
    /// with the pseudonym's first characters); empty for none.
    /// </summary>
    public string Describe() => string.Join("; ", Query().Select(p => p.Key == "subject" ? $"bsn={p.Value[..SubjectShown]}…" : $"{p.Key}={p.Value}"));

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads the query string; a value that is malformed, too long, repeated or out of range gives a message, and
    /// <paramref name="field"/> names the form field it is about (null for the page or the resident reference, which have none).
    /// </summary>
    public static AccessLogFilter? TryParse(IQueryCollection query, bool english, int maxPage, out string? error, out string? field)
    {
        error = null;
        field = null;
        var agent = Single(query, "agent", ref error, ref field, english);
        var session = Single(query, "session", ref error, ref field, english);
        var fromText = Single(query, "from", ref error, ref field, english);
        var toText = Single(query, "to", ref error, ref field, english);
        var action = Single(query, "action", ref error, ref field, english);
        var pageText = Single(query, "page", ref error, ref field, english);
        var subject = Single(query, "subject", ref error, ref field, english);
        if (error is not null)
        {
            field = field is "page" or "subject" ? null : field;
            return null;
        }

        DateOnly? from = null, to = null;
        var page = 1;
        (error, field) = agent.Length > MaxAgentLength ? (english ? $"The user name is longer than {MaxAgentLength} characters." : $"De gebruikersnaam is langer dan {MaxAgentLength} tekens.", "agent")
            : session.Length > MaxSessionLength ? (english ? $"The session id is longer than {MaxSessionLength} characters." : $"Het sessienummer is langer dan {MaxSessionLength} tekens.", "session")
            : !TryDay(fromText, out from) ? (english ? "The start date is not a date (yyyy-mm-dd)." : "De begindatum is geen datum (jjjj-mm-dd).", "from")
            : !TryDay(toText, out to) ? (english ? "The end date is not a date (yyyy-mm-dd)." : "De einddatum is geen datum (jjjj-mm-dd).", "to")
            : from > to ? (english ? "The start date is after the end date." : "De begindatum ligt na de einddatum.", "from")
            : action.Length > 0 && !AccessLogActions.Known.Contains(action) ? (english ? "Unknown action." : "Onbekende actie.", "action")
            : subject.Length > 0 && !IsPseudonym(subject) ? (english ? "The resident reference is not valid; search by BSN again." : "De verwijzing naar de inwoner is ongeldig; zoek opnieuw op BSN.", null)
            : (PageError(pageText, maxPage, english, out page), (string?)null);
        return error is null ? new AccessLogFilter(agent, session, from, to, action, page, subject) : null;
    }

    /// <summary>Null when <paramref name="text"/> is empty (page 1) or a page from 1 to <paramref name="maxPage"/>; else why not.</summary>
    public static string? PageError(string text, int maxPage, bool english, out int page)
    {
        page = 1;
        return text.Length > 0 && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1 || page > maxPage)
            ? (english ? $"The page must be a number from 1 to {maxPage}." : $"De pagina moet een getal van 1 tot en met {maxPage} zijn.")
            : null;
    }

    private static bool IsPseudonym(string text) => text.Length == SubjectPseudonyms.Length && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private static string Single(IQueryCollection query, string key, ref string? error, ref string? field, bool english)
    {
        var values = query[key];
        if (values.Count > 1 && error is null)
        {
            field = key;
            error = english ? $"The filter '{key}' is given more than once." : $"Het filter '{key}' is meer dan eens opgegeven.";
        }

        return values.Count == 1 ? (values[0] ?? "").Trim() : "";
    }

    private static bool TryDay(string text, out DateOnly? day)
    {
        day = null;
        if (text.Length == 0)
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && parsed >= Earliest && parsed <= Latest)
        {
            day = parsed;
            return true;
        }

        return false;
    }

    /// <summary>Midnight in Amsterdam (never in a daylight-saving gap: those are at 02:00) as UTC.</summary>
    private static DateTimeOffset StartOf(DateOnly day) =>
        DutchTime.Instant(day.ToDateTime(TimeOnly.MinValue));
}
