using System.Globalization;
using System.Text.Encodings.Web;
using IdContact.Hosting;
using MimeKit;

namespace IdContact.Desk.Video;

/// <summary>Who cancelled an appointment: the cancellation e-mail says so.</summary>
public enum CancelledBy
{
    Resident,
    Agent,
}

/// <summary>What an appointment e-mail needs besides the appointment: names, sender, time of writing.</summary>
public sealed record MailContext(string Municipality, string PurposeName, string From, DateTimeOffset Now);

/// <summary>
/// The resident's e-mail in the language of the booking (Dutch or English), plain text and HTML: the confirmation with
/// the link and cancel link and an .ics (METHOD:REQUEST), the reminder with the same links, the cancellation with an
/// .ics (METHOD:CANCEL, same UID).
/// </summary>
public static class AppointmentMail
{
    public const string Dutch = "nl";

    public const string English = "en";

    private static readonly CultureInfo DutchCulture = CultureInfo.GetCultureInfo("nl-NL");
    private static readonly CultureInfo EnglishCulture = CultureInfo.GetCultureInfo("en-GB");

    public static string LanguageOf(bool english) => english ? English : Dutch;

    /// <summary>"maandag 2 maart 2026 om 10:00" or "Monday 2 March 2026 at 10:00", Amsterdam time.</summary>
    public static string When(DateTimeOffset start, bool english = false) => english
        ? DutchTime.Of(start).ToString("dddd d MMMM yyyy 'at' HH:mm", EnglishCulture)
        : DutchTime.Of(start).ToString("dddd d MMMM yyyy 'om' HH:mm", DutchCulture);

    /// <summary>
    /// Whether a message can be addressed to <paramref name="email"/>. Always so for addresses taken since
    /// <see cref="VideoEndpoints.IsEmail"/> checks with MimeKit; a row stored before may hold one MimeKit refuses.
    /// </summary>
    public static bool Addressable(string email) => MailboxAddress.TryParse(email, out var mailbox) && SameAddress(mailbox.Address, email);

    /// <summary>
    /// MimeKit reads a domain typed as punycode in its Unicode form (xn--bcher-kva.example as bücher.example) and sends
    /// it as punycode again: the same address when the local parts match and the domains are one in IDNA (ASCII).
    /// </summary>
    private static bool SameAddress(string parsed, string typed)
    {
        if (parsed == typed)
        {
            return true;
        }

        int p = parsed.LastIndexOf('@'), t = typed.LastIndexOf('@');
        if (p <= 0 || t <= 0 || parsed[..p] != typed[..t])
        {
            return false;
        }

        try
        {
            return string.Equals(Idn.GetAscii(parsed[(p + 1)..]), Idn.GetAscii(typed[(t + 1)..]), StringComparison.OrdinalIgnoreCase);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static readonly IdnMapping Idn = new();

    /// <summary>The calendar's UID of an appointment: stable from invitation to cancellation.</summary>
    public static string Uid(Appointment a) => a.Id + "@idcontact";

    /// <summary>The municipality's name, the purpose in the appointment's language, the configured sender.</summary>
    public static MailContext ContextFor(TenantOptions tenant, Appointment a, IdContactOptions options, DateTimeOffset now)
    {
        var purpose = tenant.Purposes.FirstOrDefault(p => p.Tag == a.Purpose);
        var name = purpose is null ? a.Purpose : a.Language == English && purpose.NameEn is not null ? purpose.NameEn : purpose.Name;
        return new MailContext(tenant.Branding.Name ?? tenant.DisplayName, name, options.Desk().Mail.From ?? "noreply@example.nl", now);
    }

    public static (MimeMessage Message, string Invite) Confirmation(BookedAppointment booked, MailContext context)
    {
        var a = booked.Appointment;
        var en = a.Language == English;
        var m = context.Municipality;
        var when = When(a.Start!.Value, en);
        var (link, cancel) = booked.Localized(en);
        var subject = en ? $"Your video appointment with {m} on {when}" : $"Uw videoafspraak met {m} op {when}";
        var (plain, html) = Invitation(booked, context, reminder: false);
        var message = Envelope(a.Email!, subject, context);
        var invite = CalendarInvite.Request(Event(a, context, message,
            en ? $"Video appointment {m}: {context.PurposeName}" : $"Videoafspraak {m}: {context.PurposeName}",
            en ? $"Your video call with {m}. Open the link: {link}\nCancel: {cancel}" : $"Uw videogesprek met {m}. Open de link: {link}\nAnnuleren: {cancel}",
            link));
        message.Body = Body(plain, html, subject, en, (invite, "REQUEST"));
        return (message, invite);
    }

    /// <summary>
    /// The reminder before the appointment: the confirmation's text (when, link, cancel link) opened as a reminder. No
    /// .ics: the invitation put the event in the calendar already, and the same REQUEST again would add nothing but
    /// make some calendar programs ask the resident to accept it once more.
    /// </summary>
    public static MimeMessage Reminder(BookedAppointment booked, MailContext context)
    {
        var a = booked.Appointment;
        var en = a.Language == English;
        var m = context.Municipality;
        var when = When(a.Start!.Value, en);
        var subject = en ? $"Reminder: your video appointment with {m} on {when}" : $"Herinnering: uw videoafspraak met {m} op {when}";
        var (plain, html) = Invitation(booked, context, reminder: true);
        var message = Envelope(a.Email!, subject, context);
        message.Body = Body(plain, html, subject, en, null);
        return message;
    }

    /// <summary>The text of the confirmation and the reminder: when, the link, the cancel link; only the opening differs.</summary>
    private static (string Plain, string Html) Invitation(BookedAppointment booked, MailContext context, bool reminder)
    {
        var a = booked.Appointment;
        var en = a.Language == English;
        var m = context.Municipality;
        var when = When(a.Start!.Value, en);
        var (link, cancel) = booked.Localized(en);
        string Opening(string municipality, string purpose) => (en, reminder) switch
        {
            (true, false) => $"You have a video appointment with {municipality} about {purpose}.",
            (true, true) => $"This is a reminder of your video appointment with {municipality} about {purpose}.",
            (false, false) => $"U heeft een videoafspraak met {municipality} over {purpose}.",
            _ => $"Dit is een herinnering aan uw videoafspraak met {municipality} over {purpose}.",
        };
        var e = HtmlEncoder.Default;
        var opening = new Block(Opening(m, $"\"{context.PurposeName}\""), $"<p>{Opening(e.Encode(m), $"&ldquo;{e.Encode(context.PurposeName)}&rdquo;")}</p>");
        var t = en
            ? (When: "When:", Zone: "(Dutch time)", Open: "Open this link at the time of the appointment (it works shortly before and during the appointment):",
                Go: "Go to your video call", GoNote: "(the link works shortly before and during the appointment)", CantMake: "Can't make it?",
                CancelPlain: "Cancel the appointment:", CancelLink: "Cancel the appointment", Personal: "This link is personal: do not pass it on.")
            : (When: "Wanneer:", Zone: "(Nederlandse tijd)", Open: "Open deze link op het moment van de afspraak (hij werkt kort ervoor en tijdens de afspraak):",
                Go: "Naar uw videogesprek", GoNote: "(de link werkt kort voor en tijdens de afspraak)", CantMake: "Kunt u niet?",
                CancelPlain: "Annuleer de afspraak:", CancelLink: "Afspraak annuleren", Personal: "Deze link is persoonlijk: stuur hem niet door.");
        return Letter(
            en,
            m,
            opening,
            new($"{t.When} {when} {t.Zone}", $"<p><strong>{t.When}</strong> {e.Encode(when)} {t.Zone}</p>"),
            new($"{t.Open}\n{link}", $"<p><a href=\"{e.Encode(link)}\">{t.Go}</a> {t.GoNote}</p>"),
            new($"{t.CantMake} {t.CancelPlain}\n{cancel}", $"<p>{e.Encode(t.CantMake)} <a href=\"{e.Encode(cancel)}\">{t.CancelLink}</a></p>"),
            Paragraph(t.Personal));
    }

    /// <summary>One part of a letter, as plain text and as HTML.</summary>
    private readonly record struct Block(string Plain, string Html);

    private static Block Paragraph(string text) => new(text, $"<p>{HtmlEncoder.Default.Encode(text)}</p>");

    /// <summary>A lead-in and a list under it.</summary>
    private static Block List(string lead, IEnumerable<string> items)
    {
        var e = HtmlEncoder.Default;
        return new(
            lead + string.Concat(items.Select(i => $"\n- {i}")),
            $"<p>{e.Encode(lead)}</p>\n<ul>{string.Concat(items.Select(i => $"<li>{e.Encode(i)}</li>"))}</ul>");
    }

    /// <summary>Every e-mail's frame: the greeting, the blocks, the regards and the municipality's name.</summary>
    private static (string Plain, string Html) Letter(bool en, string municipality, params Block[] blocks)
    {
        Block greeting = Paragraph(en ? "Dear resident," : "Beste inwoner,");
        var regards = en ? "Kind regards," : "Met vriendelijke groet,";
        Block closing = new($"{regards}\n{municipality}", $"<p>{HtmlEncoder.Default.Encode(regards)}<br>{HtmlEncoder.Default.Encode(municipality)}</p>");
        Block[] all = [greeting, .. blocks, closing];
        return (string.Join("\n\n", all.Select(b => b.Plain)) + "\n", string.Join("\n", all.Select(b => b.Html)) + "\n");
    }

    /// <summary>
    /// To an address the e-mail cap refused a booking for: no new appointment, because it has these coming ones, and how
    /// to cancel one (the links are only in their e-mails; the desk keeps them hashed). Whoever booked saw the page of a
    /// booking made (docs/security.md, *Booking spam*), so the mail also says what to do if it was not the resident.
    /// </summary>
    public static MimeMessage CapReached(string email, string language, IReadOnlyList<DateTimeOffset> coming, MailContext context)
    {
        var en = language == English;
        var m = context.Municipality;
        var subject = en ? $"No new video appointment with {m}" : $"Geen nieuwe videoafspraak met {m}";
        var times = coming.Select(start => When(start, en) + (en ? " (Dutch time)" : " (Nederlandse tijd)")).ToList();
        string[] lines = en
            ? [
                $"Someone tried to book a video appointment with {m} about \"{context.PurposeName}\" for this e-mail address. No new appointment was made: this address already has {coming.Count} coming video appointments, the most it can have.",
                "Your coming appointments:",
                "Would you like another appointment? First cancel one of these with the link \"Cancel the appointment\" in its confirmation or reminder e-mail, then book again.",
                "Did you not try to book? Then you need not do anything: your appointments stand.",
            ]
            : [
                $"Er is geprobeerd met dit e-mailadres een videoafspraak met {m} te maken over \"{context.PurposeName}\". Er is geen nieuwe afspraak gemaakt: dit e-mailadres heeft al {coming.Count} komende videoafspraken, het hoogste aantal.",
                "Uw komende afspraken:",
                "Wilt u toch een nieuwe afspraak? Annuleer dan eerst een van deze afspraken met de link \"Afspraak annuleren\" in de bevestigingsmail of de herinnering ervan, en maak daarna opnieuw een afspraak.",
                "Heeft u zelf geen afspraak geprobeerd te maken? Dan hoeft u niets te doen: uw afspraken blijven staan.",
            ];
        var (plain, html) = Letter(en, m, Paragraph(lines[0]), List(lines[1], times), Paragraph(lines[2]), Paragraph(lines[3]));
        var message = Envelope(email, subject, context);
        message.Body = Body(plain, html, subject, en, null);
        return message;
    }

    /// <summary>The cancellation: the calendar program removes the event (same UID, METHOD:CANCEL, higher SEQUENCE).</summary>
    public static MimeMessage Cancellation(Appointment a, string email, CancelledBy by, MailContext context)
    {
        var en = a.Language == English;
        var m = context.Municipality;
        var when = When(a.Start!.Value, en);
        var subject = en ? $"Cancelled: your video appointment with {m} on {when}" : $"Geannuleerd: uw videoafspraak met {m} op {when}";
        var what = (en, by) switch
        {
            (true, CancelledBy.Resident) => $"You have cancelled your video appointment with {m} about \"{context.PurposeName}\" on {when} (Dutch time).",
            (true, _) => $"{m} has cancelled your video appointment about \"{context.PurposeName}\" on {when} (Dutch time). We are sorry for the inconvenience.",
            (false, CancelledBy.Resident) => $"U heeft uw videoafspraak met {m} over \"{context.PurposeName}\" op {when} (Nederlandse tijd) geannuleerd.",
            _ => $"{m} heeft uw videoafspraak over \"{context.PurposeName}\" op {when} (Nederlandse tijd) geannuleerd. Onze excuses voor het ongemak.",
        };
        var rest = en
            ? new[] { "The link in the earlier e-mail no longer works. The attachment removes the appointment from your calendar.", "Would you like a new appointment? Make one on the municipality's website." }
            : new[] { "De link in de eerdere e-mail werkt niet meer. De bijlage haalt de afspraak uit uw agenda.", "Wilt u een nieuwe afspraak? Maak die op de website van de gemeente." };
        var (plain, html) = Letter(en, m, Paragraph(what), Paragraph(rest[0]), Paragraph(rest[1]));
        var message = Envelope(email, subject, context);
        var cancel = CalendarInvite.Cancel(Event(a, context, message,
            en ? $"Cancelled: video appointment {m}: {context.PurposeName}" : $"Geannuleerd: videoafspraak {m}: {context.PurposeName}",
            what, null));
        message.Body = Body(plain, html, subject, en, (cancel, "CANCEL"));
        return message;
    }

    private static MimeMessage Envelope(string to, string subject, MailContext context)
    {
        var sender = MailboxAddress.TryParse(context.From, out var parsed) ? parsed : new MailboxAddress(context.Municipality, "noreply@example.nl");
        if (string.IsNullOrEmpty(sender.Name))
        {
            sender.Name = context.Municipality;
        }

        var message = new MimeMessage { Subject = subject, Date = context.Now };
        message.From.Add(sender);
        message.To.Add(MailboxAddress.Parse(to));
        return message;
    }

    private static CalendarEvent Event(Appointment a, MailContext context, MimeMessage message, string summary, string description, string? url)
    {
        var organizer = (MailboxAddress)message.From[0];
        return new CalendarEvent(
            Uid(a), context.Now, a.Start!.Value, a.End!.Value, summary, description, url, organizer.Name ?? context.Municipality, organizer.Address, ((MailboxAddress)message.To[0]).Address);
    }

    /// <summary>Plain text and HTML, and the .ics with its iTIP method when there is one.</summary>
    private static MimeEntity Body(string plain, string htmlBody, string subject, bool en, (string Text, string Method)? calendarPart)
    {
        var e = HtmlEncoder.Default;
        var html = $"""
            <!DOCTYPE html>
            <html lang="{(en ? English : Dutch)}"><head><meta charset="utf-8"><title>{e.Encode(subject)}</title></head>
            <body>
            {htmlBody}</body></html>
            """;
        var alternative = new MultipartAlternative
        {
            new TextPart("plain") { Text = plain.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal) },
            new TextPart("html") { Text = html },
        };
        if (calendarPart is not { } ics)
        {
            return alternative;
        }

        var calendar = new MimePart("text", "calendar")
        {
            Content = new MimeContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ics.Text))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = en ? "appointment.ics" : "afspraak.ics" },
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        calendar.ContentType.Parameters.Add("method", ics.Method);
        calendar.ContentType.Charset = "utf-8";
        return new Multipart("mixed") { alternative, calendar };
    }
}
