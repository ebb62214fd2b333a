using System.Globalization;
using System.Net.Mail;
using System.Security.Cryptography;
using IdContact.Desk.Agents;
using IdContact.Desk.Chat;
using IdContact.Desk.Pages;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Video;

/// <summary>The video comm plugin (V1, V3) under <c>/{tenant}/video</c>: start, results, the appointment page, the link, cancelling.</summary>
public static class VideoEndpoints
{
    public static void MapVideo(this IEndpointRouteBuilder app)
    {
        var video = app.MapTenantGroup("/video").WithTags("Video");
        video.MapPost("/start_communication", StartAsync)
            .RequireRateLimiting(RateLimits.PluginStart)
            .RequireBearerKey(o => o.Desk().ApiKey).WithName("VideoStart").WithSummary("Creates a video session: the appointment page as client_url, and attr_url.");
        video.MapPost("/attr/{id}", ReceiveAsync).RequireRateLimiting(RateLimits.Result).WithName("VideoAttributes").WithSummary("Receives the auth-result token (application/jwt).");

        // The resident's pages carry capabilities in their URL: DeskPageHeaders keeps them uncached, unreferred and unframed.
        var pages = app.MapTenantGroup("/video").ExcludeFromDescription();
        pages.MapGet("/book/{token}", BookingPageAsync).RequireRateLimiting(RateLimits.Booking);
        pages.MapPost("/book/{token}", BookAsync).RequireRateLimiting(RateLimits.Booking);
        pages.MapGet("/booked/{link}/{cancel}", ConfirmedAsync).RequireRateLimiting(RateLimits.Booking);
        pages.MapGet("/join/{token}", JoinAsync).RequireRateLimiting(RateLimits.Booking);
        pages.MapPost("/join/{token}/identify", IdentifyAsync).RequireRateLimiting(RateLimits.Start).DisableAntiforgery().RequireSameOriginPosts();
        pages.MapGet("/join/{token}/signed-in", SignedInAsync).RequireRateLimiting(RateLimits.Booking);
        pages.MapGet("/cancel/{token}", CancelPageAsync).RequireRateLimiting(RateLimits.Booking);
        pages.MapPost("/cancel/{token}", CancelAsync).RequireRateLimiting(RateLimits.Booking);
        pages.MapGet("/cancelled/{proof}", CancelledAsync).RequireRateLimiting(RateLimits.Booking);
        app.MapHub<VideoHub>("/{tenant}/video/hub").RequireRateLimiting(RateLimits.ResidentConnection).WithMetadata(RateLimits.OpenConnectionsRequests);
    }

    private static Task<IResult> StartAsync(HttpContext http, AppointmentStore appointments, SessionStore store, DeskKeys keys, PublicUrls urls) =>
        DeskRequest.StartAsync(http, keys, store, urls, async (tenant, purpose, ct) =>
        {
            var (session, token) = await appointments.StartAsync(tenant, purpose, ct);
            return (session, urls.Tenant(tenant, "/video/book/" + token));
        });

    private static async Task<IResult> ReceiveAsync(HttpContext http, string id, SessionStore store, VideoCall call)
    {
        var answer = await DeskRequest.ReceiveResultAsync(http, Channels.Video, id, store);
        if (answer is Ok)
        {
            await call.ResultArrivedAsync(http.TenantTag(), id, http.RequestAborted);
        }

        return answer;
    }

    private static async Task<IResult> BookingPageAsync(HttpContext http, string token, string? date, AppointmentStore appointments)
    {
        var booking = await appointments.FindBookingAsync(http.TenantTag(), token, http.RequestAborted);
        if (booking is null || booking.Start is not null)
        {
            return booking is null ? Gone(http) : AlreadyBooked(http, booking);
        }

        return await BookingFormAsync(http, token, booking, date, null, null, 200, appointments);
    }

    private static async Task<IResult> BookingFormAsync(HttpContext http, string token, Appointment booking, string? date, string? error, string? email, int status, AppointmentStore appointments)
    {
        var page = DeskPages.For(http);
        var free = await appointments.FreeSlotsAsync(page.TenantTag, http.RequestAborted);
        var days = free.Select(s => s.Day).Distinct().ToList();
        var selected = DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && days.Contains(d) ? d : days.FirstOrDefault();
        var purpose = page.Tenant.Purposes.FirstOrDefault(p => p.Tag == booking.Purpose);
        return new RazorComponentResult<VideoBookingPage>(new
        {
            PurposeName = purpose is null ? booking.Purpose : page.English && purpose.NameEn is not null ? purpose.NameEn : purpose.Name,
            PageUrl = $"/{page.TenantTag}/video/book/{token}",
            Days = days,
            SelectedDay = selected,
            Times = free.Where(s => s.Day == selected).ToList(),
            page.AntiforgeryField,
            page.AntiforgeryToken,
            page.English,
            Error = error,
            Email = email,
            FocusTimes = error is null && date is not null && selected.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) == date,
        })
        { StatusCode = status };
    }

    private static async Task<IResult> BookAsync(
        HttpContext http, string token, IFormCollection form, AppointmentStore appointments, MailOutbox outbox, AppointmentNotifier notifier,
        IOptions<IdContactOptions> options, TimeProvider time, DeskMetrics metrics)
    {
        var english = http.PrefersEnglish();
        var tenantTag = http.TenantTag();
        // A refusal here is what the booking page's GET shows too: its language switch leads there.
        var bookPage = $"/{tenantTag}/video/book/{token}";
        var booking = await appointments.FindBookingAsync(tenantTag, token, http.RequestAborted);
        if (booking is null || booking.Start is not null)
        {
            return booking is null ? Gone(http, bookPage) : AlreadyBooked(http, booking, bookPage);
        }

        var email = form["email"].ToString().Trim();
        if (!IsEmail(email))
        {
            return await BookingFormAsync(http, token, booking, null, english ? "Enter a valid e-mail address, like name@example.nl." : "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.", email, 400, appointments);
        }

        if (!long.TryParse(form["slot"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253402300799)
        {
            return await BookingFormAsync(http, token, booking, null, english ? "Choose a time." : "Kies een tijd.", email, 400, appointments);
        }

        // The e-mail speaks the language of the page the resident booked on.
        var (outcome, booked) = await appointments.BookAsync(
            tenantTag, token, DateTimeOffset.FromUnixTimeSeconds(seconds), email, AppointmentMail.LanguageOf(english), ClientAddress.Key(http.Connection.RemoteIpAddress), http.RequestAborted);
        switch (outcome)
        {
            case BookOutcome.EmailCapReached:
                // The answer is a booking's, so the page does not tell whether the address has appointments: only the
                // address learns (by e-mail) that nothing was booked. Nothing is booked and the slot stays free.
                metrics.BookingRefused(tenantTag, "email");
                var standIn = booked!.Appointment;
                var notice = AppointmentMail.CapReached(
                    email, standIn.Language, booked.Coming ?? [],
                    AppointmentMail.ContextFor(http.Tenant(), standIn, options.Value, time.GetUtcNow()));
                await outbox.SendAsync(tenantTag, standIn.Id, notice, http.RequestAborted);
                return new SeeOther(LanguageExtensions.WithLanguage(AppointmentStore.ConfirmationPath(tenantTag, booked), english));
            case BookOutcome.AddressCapReached:
                metrics.BookingRefused(tenantTag, "address");
                return await BookingFormAsync(http, token, booking, null, english
                    ? "Too many video appointments were booked from your internet address today. Please try again tomorrow, or contact the municipality."
                    : "Vanaf uw internetadres zijn vandaag al te veel videoafspraken gemaakt. Probeer het morgen opnieuw of neem contact op met de gemeente.",
                    email, StatusCodes.Status429TooManyRequests, appointments);
            case BookOutcome.Booked:
                notifier.Changed(tenantTag);
                var (message, _) = Compose(http.Tenant(), booked!, options.Value, time.GetUtcNow());
                await outbox.SendAsync(tenantTag, booked!.Appointment.Id, message, http.RequestAborted);
                // Post/Redirect/Get: a reload shows the confirmation again instead of posting the booking twice.
                return new SeeOther(LanguageExtensions.WithLanguage(AppointmentStore.ConfirmationPath(tenantTag, booked), english));
            case BookOutcome.AlreadyBooked:
                // A second submit that raced the first: the booking it found taken is this page's own.
                var made = await appointments.FindBookingAsync(tenantTag, token, http.RequestAborted);
                return made?.Start is null ? Gone(http, bookPage) : AlreadyBooked(http, made, bookPage);
            case BookOutcome.Expired:
                return Gone(http, bookPage);
            default:
                return new RazorComponentResult<VideoNoticePage>(new
                {
                    Title = english ? "This time is no longer free" : "Dit tijdstip is niet meer vrij",
                    Text = english ? "Someone else just booked this time. Please choose another one." : "Iemand anders heeft dit tijdstip net geboekt. Kies een ander tijdstip.",
                    English = english,
                    BackUrl = LanguageExtensions.WithLanguage($"/{tenantTag}/video/book/{token}", english),
                })
                { StatusCode = StatusCodes.Status409Conflict };
        }
    }

    /// <summary>
    /// The confirmation after booking, as often as the resident reloads it: what the e-mail says, on screen. Only both
    /// of the e-mail's tokens of one live appointment open it; anything else is the page without data.
    /// </summary>
    private static async Task<IResult> ConfirmedAsync(
        HttpContext http, string link, string cancel, AppointmentStore appointments, MailSender sender, IOptions<IdContactOptions> options, TimeProvider time)
    {
        var english = http.PrefersEnglish();
        var tenant = http.TenantTag();
        var appointment = await appointments.FindConfirmationAsync(tenant, link, cancel, http.RequestAborted);
        if (appointment is null)
        {
            return Gone(http);
        }

        var booked = new BookedAppointment(appointment, appointments.LinkUrl(tenant, link), appointments.CancelUrl(tenant, cancel));
        // The .ics names the address as its attendee: one that cannot be opened (a lost key) or addressed (stored by an
        // older version) leaves the page without it rather than failing it.
        var invite = appointment.Email is { } email && AppointmentMail.Addressable(email)
            ? Compose(http.Tenant(), booked, options.Value, time.GetUtcNow()).Invite
            : null;
        var links = booked.Localized(english);
        return new RazorComponentResult<VideoConfirmedPage>(new
        {
            When = AppointmentMail.When(appointment.Start!.Value, english),
            Link = links.Link,
            CancelLink = links.Cancel,
            IcsDataUri = invite is null ? null : "data:text/calendar;charset=utf-8;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(invite)),
            Sent = !await appointments.ConfirmationWaitsAsync(tenant, appointment.Id, http.RequestAborted),
            English = english,
            MailFolder = sender.WritesFiles ? sender.MailDirectory : null,
        });
    }

    public static (MimeKit.MimeMessage Message, string Invite) Compose(TenantOptions tenant, BookedAppointment booked, IdContactOptions options, DateTimeOffset now) =>
        AppointmentMail.Confirmation(booked, AppointmentMail.ContextFor(tenant, booked.Appointment, options, now));

    /// <summary>The call page (waiting room until the agent joins); the resident's arrival shows the call to the agents.</summary>
    private static async Task<IResult> JoinAsync(
        HttpContext http, string token, string? result, AppointmentStore appointments, SessionStore sessions, VideoCall call, ContactNotifier notifier,
        AppointmentNotifier appointmentNotifier, ChatStore events, Identification identification, IOptions<IdContactOptions> options)
    {
        var english = http.PrefersEnglish();
        var tenant = http.TenantTag();
        var (outcome, appointment) = await appointments.OpenLinkAsync(tenant, token, http.RequestAborted);
        if (outcome != LinkOutcome.Open)
        {
            return LinkRefused(http, outcome, appointment, appointments);
        }

        if (result is not null)
        {
            // Back from a sign-in whose plugin delivers the result on the continuation: taken like a post to attr_url.
            await TakeLandingResultAsync(http, appointment!, result, sessions, call);
            return new SeeOther(JoinPath(tenant, token, english));
        }

        if (await appointments.ArriveAsync(tenant, appointment!.SessionId, http.RequestAborted))
        {
            await notifier.ChangedAsync(tenant);
            appointmentNotifier.Changed(tenant);
        }

        var pending = identification.Enabled && await events.IdentificationPendingAsync(tenant, appointment.SessionId, http.RequestAborted);
        return new RazorComponentResult<VideoCallPage>(new
        {
            TenantTag = tenant,
            Municipality = http.Tenant().Branding.Name ?? http.Tenant().DisplayName,
            Token = token,
            Time = DutchTime.Of(appointment.Start!.Value).ToString("HH:mm", CultureInfo.InvariantCulture),
            English = english,
            Methods = pending ? await identification.MethodsAsync(tenant, appointment.Purpose, english, http.RequestAborted) : [],
            options.Value.Desk().Chat.PresenceRenewSeconds,
        });
    }

    /// <summary>
    /// The resident chose a sign-in method in the call's dialog: the desk asks the core for an auth-only start. From the
    /// page's script (a pop-up, so the call stays up) the answer is the URL to open there; from a plain form (pop-ups
    /// blocked) a redirect in the same tab, which returns to the call.
    /// </summary>
    private static async Task<IResult> IdentifyAsync(HttpContext http, string token, IFormCollection form, AppointmentStore appointments, ChatStore events, Identification identification)
    {
        var english = http.PrefersEnglish();
        var tenant = http.TenantTag();
        var (outcome, appointment) = await appointments.OpenLinkAsync(tenant, token, http.RequestAborted);
        if (outcome != LinkOutcome.Open)
        {
            return LinkRefused(http, outcome, appointment, appointments);
        }

        var popup = form["popup"] == "1";
        var method = form["auth_method"].ToString();
        if (method.Length is 0 or > 100 || !await events.IdentificationPendingAsync(tenant, appointment!.SessionId, http.RequestAborted))
        {
            return popup ? Problems.Conflict("Not asked", "The agent has not asked for identification.") : new SeeOther(JoinPath(tenant, token, english));
        }

        var back = LanguageExtensions.WithLanguage(popup ? $"/video/join/{token}/signed-in" : $"/video/join/{token}", english);
        var next = await identification.StartAsync(tenant, appointment.Purpose, back, "/video/attr/" + appointment.SessionId, method, http.RequestAborted);
        if (next is null)
        {
            return popup
                ? Problems.BadGateway("Sign-in not started", "The sign-in could not be started.")
                : Notice(http, StatusCodes.Status502BadGateway,
                    english ? "Identification could not be started" : "Identificatie kon niet starten",
                    english ? "Go back to your video call and try again." : "Ga terug naar uw videogesprek en probeer het opnieuw.");
        }

        return popup ? Results.Json(new { url = next }) : new SeeOther(next);
    }

    /// <summary>Where the pop-up lands after signing in: it closes itself; the call went on in the other window.</summary>
    private static async Task<IResult> SignedInAsync(HttpContext http, string token, string? result, AppointmentStore appointments, SessionStore sessions, VideoCall call)
    {
        var (outcome, appointment) = await appointments.OpenLinkAsync(http.TenantTag(), token, http.RequestAborted);
        if (outcome != LinkOutcome.Open)
        {
            return LinkRefused(http, outcome, appointment, appointments);
        }

        if (result is not null)
        {
            await TakeLandingResultAsync(http, appointment!, result, sessions, call);
        }

        var english = http.PrefersEnglish();
        return new RazorComponentResult<VideoSignedInPage>(new { English = english, CallUrl = JoinPath(http.TenantTag(), token, english) });
    }

    private static async Task TakeLandingResultAsync(HttpContext http, Appointment appointment, string result, SessionStore sessions, VideoCall call)
    {
        var (accepted, _) = await sessions.AcceptResultAsync(http.TenantTag(), Channels.Video, appointment.SessionId, result, http.RequestAborted);
        if (accepted == ResultOutcome.Accepted)
        {
            await call.ResultArrivedAsync(http.TenantTag(), appointment.SessionId, http.RequestAborted);
        }
    }

    private static string JoinPath(string tenant, string token, bool english) => LanguageExtensions.WithLanguage($"/{tenant}/video/join/{token}", english);

    /// <summary>The link's refusal; too early it says from when the link works, in the municipality's time as the e-mail.</summary>
    private static IResult LinkRefused(HttpContext http, LinkOutcome outcome, Appointment? appointment, AppointmentStore appointments)
    {
        var english = http.PrefersEnglish();
        return outcome switch
        {
            LinkOutcome.TooEarly => Notice(http, StatusCodes.Status403Forbidden,
                english ? "This link does not work yet" : "Deze link werkt nog niet",
                english
                    ? $"The link works from {AppointmentMail.When(appointments.OpensAt(http.TenantTag(), appointment!), english)}. Open it again then."
                    : $"De link werkt vanaf {AppointmentMail.When(appointments.OpensAt(http.TenantTag(), appointment!), english)}. Open de link dan opnieuw."),
            LinkOutcome.Over => Notice(http, StatusCodes.Status410Gone,
                english ? "This link no longer works" : "Deze link werkt niet meer",
                english ? "The appointment is over. Contact the municipality if you need a new one." : "De afspraak is voorbij. Neem contact op met de gemeente als u een nieuwe afspraak wilt."),
            _ => Gone(http),
        };
    }

    private static async Task<IResult> CancelPageAsync(HttpContext http, string token, AppointmentStore appointments)
    {
        var appointment = await appointments.FindCancelAsync(http.TenantTag(), token, http.RequestAborted);
        if (appointment is null)
        {
            return await appointments.WasCancelledAsync(http.TenantTag(), token, http.RequestAborted) ? AlreadyCancelled(http) : Gone(http);
        }

        var page = DeskPages.For(http);
        return new RazorComponentResult<VideoCancelPage>(new
        {
            When = AppointmentMail.When(appointment.Start!.Value, page.English),
            Action = LanguageExtensions.WithLanguage($"/{page.TenantTag}/video/cancel/{token}", page.English),
            page.AntiforgeryField,
            page.AntiforgeryToken,
            page.English,
        });
    }

    private static async Task<IResult> CancelAsync(
        HttpContext http, string token, IFormCollection form, AppointmentCancellation cancellation, AppointmentStore appointments,
        IDataProtectionProvider protection, IOptions<IdContactOptions> options)
    {
        _ = form; // Binding the form makes the antiforgery check run.
        var tenant = http.TenantTag();
        if (!await cancellation.CancelByLinkAsync(tenant, token, http.RequestAborted))
        {
            return await appointments.WasCancelledAsync(tenant, token, http.RequestAborted)
                ? AlreadyCancelled(http, $"/{tenant}/video/cancel/{token}")
                : Gone(http, $"/{tenant}/video/cancel/{token}");
        }

        // Post/Redirect/Get: a reload shows that the appointment is cancelled instead of posting to a link that no longer
        // works. The proof (time-limited, this tenant's) keeps that page from saying so to anyone who merely opens it.
        var proof = CancelledProof(protection, tenant).Protect(token, TimeSpan.FromMinutes(options.Value.Desk().RetentionMinutes));
        return new SeeOther(LanguageExtensions.WithLanguage($"/{tenant}/video/cancelled/{proof}", http.PrefersEnglish()));
    }

    /// <summary>Where a cancellation lands, as often as the resident reloads it, in either language.</summary>
    private static IResult CancelledAsync(HttpContext http, string proof, IDataProtectionProvider protection)
    {
        try
        {
            _ = CancelledProof(protection, http.TenantTag()).Unprotect(proof);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return Gone(http);
        }

        var english = http.PrefersEnglish();
        return Notice(http, StatusCodes.Status200OK, english ? "Your appointment is cancelled" : "Uw afspraak is geannuleerd",
            english
                ? "The time is free again. You will receive a confirmation by e-mail; after that, nothing about this appointment is kept."
                : "Het tijdstip is weer vrij. U krijgt een bevestiging per e-mail; daarna bewaren we niets van deze afspraak.");
    }

    private static ITimeLimitedDataProtector CancelledProof(IDataProtectionProvider protection, string tenant) =>
        protection.CreateProtector("IdContact.Desk.Video.Cancelled", tenant).ToTimeLimitedDataProtector();

    /// <summary>A cancel link opened again after its appointment was cancelled (by the resident or an agent), before its end.</summary>
    private static IResult AlreadyCancelled(HttpContext http, string? getPath = null) => Notice(http, StatusCodes.Status200OK,
        http.PrefersEnglish() ? "This appointment is already cancelled" : "Deze afspraak is al geannuleerd",
        http.PrefersEnglish()
            ? "You need not do anything more. For a new appointment, start again from the municipality's website."
            : "U hoeft niets meer te doen. Wilt u een nieuwe afspraak, begin dan opnieuw op de website van de gemeente.",
        getPath);

    /// <summary>Unknown, cancelled, expired or another municipality's link: one page, no data.</summary>
    /// <param name="getPath">For a post: the page's GET, which shows the same (its language switch leads there).</param>
    private static IResult Gone(HttpContext http, string? getPath = null) => Notice(http, StatusCodes.Status404NotFound,
        http.PrefersEnglish() ? "This link does not work" : "Deze link werkt niet",
        http.PrefersEnglish()
            ? "The link is not valid (any more): the appointment may have been cancelled, or the page has expired. Start again from the municipality's website."
            : "Deze link is niet (meer) geldig: de afspraak is misschien geannuleerd, of de pagina is verlopen. Begin opnieuw op de website van de gemeente.",
        getPath);

    /// <summary>
    /// This page's booking stands (a double click or a second submit lands here): it says when, and that the e-mail has
    /// the links, which only the first answer and the e-mail know (their tokens are stored hashed).
    /// </summary>
    private static IResult AlreadyBooked(HttpContext http, Appointment booking, string? getPath = null)
    {
        var english = http.PrefersEnglish();
        var when = AppointmentMail.When(booking.Start!.Value, english);
        return Notice(http, StatusCodes.Status409Conflict,
            english ? "Your appointment is booked" : "Uw afspraak is gemaakt",
            english
                ? $"Your video appointment on {when} stands. The e-mail we sent you has the link to the call, the cancel link and a calendar invitation."
                : $"Uw videoafspraak op {when} staat. In de e-mail die we u stuurden staan de link naar het gesprek, de link om af te zeggen en een agenda-uitnodiging.",
            getPath);
    }

    /// <summary>
    /// A notice in the language asked for. Its language switch shows only where it leads to the same notice: on a GET (the
    /// same address again), or on a post whose page's GET shows it (<paramref name="getPath"/>); a post's other answers
    /// cannot be asked again without doing what the post did.
    /// </summary>
    private static RazorComponentResult<VideoNoticePage> Notice(HttpContext http, int status, string title, string text, string? getPath = null) =>
        new(new
        {
            Title = title,
            Text = text,
            English = http.PrefersEnglish(),
            LanguageSwitch = HttpMethods.IsGet(http.Request.Method) || getPath is not null,
            PagePath = getPath,
        })
        { StatusCode = status };

    /// <summary>
    /// An address both .NET and MimeKit read as itself: the booking is stored before its e-mail is composed, so an address
    /// MimeKit refuses (a dot before the @, a control character) would take the slot and then fail. No control or format
    /// characters either (a right-to-left override would turn the address around where agents read it), and no address
    /// literal (name@[192.0.2.1]): no resident's address, and the relay would connect to a host the booker picks.
    /// </summary>
    public static bool IsEmail(string value) =>
        value.Length is > 3 and <= 254 && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format)
        && !value.EndsWith(']')
        && MailAddress.TryCreate(value, out var address) && address.Address == value && value.Contains('.', StringComparison.Ordinal)
        && AppointmentMail.Addressable(value);
}
