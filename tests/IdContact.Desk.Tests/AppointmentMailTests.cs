using IdContact.Desk.Video;
using MimeKit;

namespace IdContact.Desk.Tests;

/// <summary>The resident's e-mails share one letter: greeting, the text, regards and the municipality, in both bodies.</summary>
public sealed class AppointmentMailTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static MailContext Context => new("Gemeente <Oost> & West", "Verhuizing \"doorgeven\"", "noreply@example.nl", Start.AddDays(-3));

    public static TheoryData<string, string> Letters() => new()
    {
        { "confirmation", AppointmentMail.Dutch }, { "confirmation", AppointmentMail.English },
        { "reminder", AppointmentMail.Dutch }, { "reminder", AppointmentMail.English },
        { "cancellation", AppointmentMail.Dutch }, { "cancellation", AppointmentMail.English },
        { "cap", AppointmentMail.Dutch }, { "cap", AppointmentMail.English },
    };

    [Theory]
    [MemberData(nameof(Letters))]
    public void Every_email_opens_with_the_greeting_and_closes_with_the_regards_and_the_escaped_municipality(string letter, string language)
    {
        var message = Compose(letter, language);
        var english = language == AppointmentMail.English;
        var (greeting, regards) = english ? ("Dear resident,", "Kind regards,") : ("Beste inwoner,", "Met vriendelijke groet,");

        var plain = message.TextBody!.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.StartsWith(greeting + "\n\n", plain, StringComparison.Ordinal);
        Assert.EndsWith($"\n\n{regards}\n{Context.Municipality}\n", plain, StringComparison.Ordinal);

        // The HTML escapes what the configuration and the purpose may hold, and its paragraphs are the plain text's.
        var html = message.HtmlBody!;
        Assert.Contains($"<p>{greeting}</p>", html, StringComparison.Ordinal);
        Assert.Contains($"<p>{regards}<br>Gemeente &lt;Oost&gt; &amp; West</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<Oost>", html, StringComparison.Ordinal);
        Assert.Equal(plain.Split("\n\n").Length, html.Split("<p>").Length - 1);
    }

    [Fact]
    public void The_cap_notice_lists_the_coming_appointments_in_both_bodies()
    {
        var message = Compose("cap", AppointmentMail.Dutch);
        Assert.Contains("\n- maandag 2 maart 2026 om 10:00 (Nederlandse tijd)\n- dinsdag 3 maart 2026 om 10:00 (Nederlandse tijd)\n\n", message.TextBody!.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("<ul><li>maandag 2 maart 2026 om 10:00 (Nederlandse tijd)</li><li>dinsdag 3 maart 2026 om 10:00 (Nederlandse tijd)</li></ul>", message.HtmlBody!, StringComparison.Ordinal);
    }

    private static MimeMessage Compose(string letter, string language)
    {
        var appointment = new Appointment { Id = "a1", Purpose = "move", Start = Start, End = Start.AddMinutes(15), Email = "inwoner@example.nl", Language = language };
        var booked = new BookedAppointment(appointment, "https://idc.example/t/video/join/x", "https://idc.example/t/video/cancel/y");
        return letter switch
        {
            "confirmation" => AppointmentMail.Confirmation(booked, Context).Message,
            "reminder" => AppointmentMail.Reminder(booked, Context),
            "cancellation" => AppointmentMail.Cancellation(appointment, "inwoner@example.nl", CancelledBy.Agent, Context),
            _ => AppointmentMail.CapReached("inwoner@example.nl", language, [Start, Start.AddDays(1)], Context),
        };
    }
}
