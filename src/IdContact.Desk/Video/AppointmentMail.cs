using System.Globalization;
using System.Text.Encodings.Web;
using MimeKit;

namespace IdContact.Desk.Video;

/// <summary>The confirmation e-mail (Dutch): plain text and HTML with the link and cancel link, and an .ics invitation.</summary>
public static class AppointmentMail
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    /// <summary>"maandag 2 maart 2026 om 10:00", Amsterdam time.</summary>
    public static string When(DateTimeOffset start) => SlotCalendar.Local(start).ToString("dddd d MMMM yyyy 'om' HH:mm", Dutch);

    public static (MimeMessage Message, string Invite) Confirmation(BookedAppointment booked, string municipality, string purposeName, string from, DateTimeOffset now)
    {
        var a = booked.Appointment;
        var when = When(a.Start!.Value);
        var sender = MailboxAddress.TryParse(from, out var parsed) ? parsed : new MailboxAddress(municipality, "noreply@example.nl");
        if (string.IsNullOrEmpty(sender.Name))
        {
            sender.Name = municipality;
        }

        var message = new MimeMessage();
        message.From.Add(sender);
        message.To.Add(MailboxAddress.Parse(a.Email!));
        message.Subject = $"Uw videoafspraak met {municipality} op {when}";
        message.Date = now;

        var plain = $"""
            Beste inwoner,

            U heeft een videoafspraak met {municipality} over "{purposeName}".

            Wanneer: {when} (Nederlandse tijd)

            Open deze link op het moment van de afspraak (hij werkt kort ervoor en tijdens de afspraak):
            {booked.Link}

            Kunt u niet? Annuleer de afspraak:
            {booked.CancelLink}

            Deze link is persoonlijk: stuur hem niet door.

            Met vriendelijke groet,
            {municipality}
            """;
        var e = HtmlEncoder.Default;
        var html = $"""
            <!DOCTYPE html>
            <html lang="nl"><head><meta charset="utf-8"><title>{e.Encode(message.Subject)}</title></head>
            <body>
            <p>Beste inwoner,</p>
            <p>U heeft een videoafspraak met {e.Encode(municipality)} over &ldquo;{e.Encode(purposeName)}&rdquo;.</p>
            <p><strong>Wanneer:</strong> {e.Encode(when)} (Nederlandse tijd)</p>
            <p><a href="{e.Encode(booked.Link)}">Naar uw videogesprek</a> (de link werkt kort voor en tijdens de afspraak)</p>
            <p>Kunt u niet? <a href="{e.Encode(booked.CancelLink)}">Afspraak annuleren</a></p>
            <p>Deze link is persoonlijk: stuur hem niet door.</p>
            <p>Met vriendelijke groet,<br>{e.Encode(municipality)}</p>
            </body></html>
            """;
        var alternative = new MultipartAlternative
        {
            new TextPart("plain") { Text = plain.Replace("\n", "\r\n", StringComparison.Ordinal) },
            new TextPart("html") { Text = html },
        };
        var invite = CalendarInvite.Create(
            a.Id + "@idcontact", now, a.Start.Value, a.End!.Value,
            $"Videoafspraak {municipality}: {purposeName}",
            $"Uw videogesprek met {municipality}. Open de link: {booked.Link}\nAnnuleren: {booked.CancelLink}",
            booked.Link, sender.Name, sender.Address);
        var calendar = new MimePart("text", "calendar")
        {
            Content = new MimeContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(invite))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = "afspraak.ics" },
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        calendar.ContentType.Parameters.Add("method", "REQUEST");
        calendar.ContentType.Charset = "utf-8";
        message.Body = new Multipart("mixed") { alternative, calendar };
        return (message, invite);
    }
}
