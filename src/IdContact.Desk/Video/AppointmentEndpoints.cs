using System.Globalization;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Desk.Pages;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Video;

/// <summary>The agents' "Afspraken" page (V1, V2) under <c>/{tenant}/desk/appointments</c>.</summary>
public static class AppointmentEndpoints
{
    public static void MapAppointmentPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapTenantGroup("/desk/appointments").ExcludeFromDescription()
            .RequireAuthorization(AgentAuthorization.AgentPolicy).AddEndpointFilter(PasswordEndpoints.RequireOwnPassword);
        pages.MapGet("", PageAsync);
        pages.MapGet("/list", ListAsync);
        pages.MapPost("/{id}/take", TakeAsync);
        pages.MapPost("/{id}/assign", AssignAsync);
        pages.MapGet("/{id}/cancel", CancelPageAsync);
        pages.MapPost("/{id}/cancel", CancelAsync);
        pages.MapPost("/{id}/no-show", NoShowAsync);
        pages.MapPost("/plan", PlanAsync);
    }

    private static async Task<IResult> PageAsync(HttpContext http, AppointmentList list, TenantDatabases databases, string? message, string? call)
        => await RenderAsync(http, list, databases, Message(message, http.PrefersEnglish()), null, linkedCall: call);

    private static async Task<IResult> RenderAsync(
        HttpContext http, AppointmentList list, TenantDatabases databases, string? message, string? demoLink, int status = 200, string? linkedCall = null, PlanForm? refused = null)
    {
        var page = DeskPages.For(http);
        var agent = (await http.CurrentAgentAsync())!;
        // Offered only for a phone call this agent holds now.
        var held = linkedCall is null ? null : await http.RequestServices.GetRequiredService<AppointmentStore>().FindHeldCallAsync(page.TenantTag, linkedCall, agent.Id, http.RequestAborted);
        return new RazorComponentResult<AppointmentsPage>(new
        {
            Appointments = await list.TodayAndComingAsync(page.TenantTag, http.RequestAborted),
            Over = await list.OverAsync(page.TenantTag, http.RequestAborted),
            Agents = await AgentsAsync(databases, page.TenantTag, http.RequestAborted),
            Purposes = Purposes(page),
            RefreshSeconds = http.RequestServices.GetRequiredService<IOptions<IdContactOptions>>().Value.Desk().AgentRefreshSeconds,
            page.TenantTag,
            page.Brand,
            AgentId = agent.Id,
            page.AntiforgeryField,
            page.AntiforgeryToken,
            page.English,
            Message = message,
            DemoLink = demoLink,
            LinkedCall = held?.Id,
            Refused = refused,
            // Each rendering of the form gets its own: posting it again plans nothing more.
            PlanKey = http.RequestServices.GetRequiredService<PlanFormIds>().Issue(page.TenantTag),
        })
        { StatusCode = status };
    }

    /// <summary>The list alone, fetched by appointments.js when the page is told something changed (and on a timer).</summary>
    private static async Task<IResult> ListAsync(HttpContext http, AppointmentList list, TenantDatabases databases)
    {
        var page = DeskPages.For(http);
        var agent = (await http.CurrentAgentAsync())!;
        return new RazorComponentResult<AppointmentTable>(new
        {
            Appointments = await list.TodayAndComingAsync(page.TenantTag, http.RequestAborted),
            Over = await list.OverAsync(page.TenantTag, http.RequestAborted),
            Agents = await AgentsAsync(databases, page.TenantTag, http.RequestAborted),
            Purposes = Purposes(page),
            page.TenantTag,
            AgentId = agent.Id,
            page.AntiforgeryField,
            page.AntiforgeryToken,
            page.English,
        });
    }

    private static async Task<List<KeyValuePair<string, string>>> AgentsAsync(TenantDatabases databases, string tenant, CancellationToken ct)
    {
        await using var db = databases.Open(tenant);
        // The data protection officer takes no contacts (and could not open the call): not someone to assign to.
        var officers = AgentAuthorization.OfficerIds(db);
        return await db.Users.AsNoTracking()
            .Where(u => !officers.Contains(u.Id))
            .OrderBy(u => u.DisplayName).Select(u => new KeyValuePair<string, string>(u.Id, u.DisplayName)).ToListAsync(ct);
    }

    private static List<KeyValuePair<string, string>> Purposes(DeskPages page) =>
        page.Tenant.Purposes.Select(p => new KeyValuePair<string, string>(p.Tag, page.English && p.NameEn is not null ? p.NameEn : p.Name)).ToList();

    private static string? Message(string? key, bool english) => key switch
    {
        "cancelled" => english ? "The appointment is cancelled; the resident gets an e-mail." : "De afspraak is geannuleerd; de inwoner krijgt een e-mail.",
        "no-show" => english ? "Marked: the resident did not come. The appointment is over." : "Vastgelegd: de inwoner is niet verschenen. De afspraak is voorbij.",
        "no-show-refused" => english
            ? "That appointment cannot be marked: it has not begun long enough ago, its call is in progress, the resident is waiting, or it is not yours."
            : "Die afspraak kan niet zo worden gemarkeerd: hij is nog niet lang genoeg begonnen, het gesprek loopt, de inwoner wacht, of hij is niet van u.",
        "taken" => english ? "The appointment is yours." : "De afspraak staat op uw naam.",
        "assigned" => english ? "The appointment is assigned." : "De afspraak is toegewezen.",
        "not-an-agent" => english ? "The data protection officer takes no appointments; choose an agent." : "De functionaris gegevensbescherming neemt geen afspraken aan; kies een medewerker.",
        "gone" => english ? "That appointment was cancelled or taken by someone else." : "Die afspraak is geannuleerd of al door iemand anders aangenomen.",
        "call-not-yours" => english ? "Another agent holds that appointment; assign it to yourself first." : "Een collega heeft die afspraak; wijs hem eerst aan uzelf toe.",
        "call-too-early" => english ? "The video call opens shortly before the appointment." : "Het videogesprek gaat kort voor de afspraak open.",
        // Not "cancelled or taken": from a page loaded before the appointment moved to Afgelopen.
        "over" => english ? "That appointment is over; it can no longer be taken or assigned." : "Die afspraak is voorbij; hij kan niet meer worden aangenomen of toegewezen.",
        "call-gone" => english ? "That video call no longer exists: it has ended or the appointment was cancelled." : "Dat videogesprek bestaat niet meer: het is beëindigd of de afspraak is geannuleerd.",
        "in-call" => english ? "That video call is in progress; it can be assigned or cancelled only once it has ended." : "Dat videogesprek loopt nog; het kan pas na afloop worden toegewezen of geannuleerd.",
        "call-over" => english ? "That appointment is over; its video call can no longer be opened." : "Die afspraak is voorbij; het videogesprek kan niet meer worden geopend.",
        _ => null,
    };

    private static async Task<IResult> TakeAsync(
        HttpContext http, string id, IFormCollection form, AppointmentList list, AppointmentNotifier notifier, ContactNotifier contacts)
    {
        _ = form; // Binding the form makes the antiforgery check run.
        var agent = (await http.CurrentAgentAsync())!;
        var taken = await list.AssignAsync(http.TenantTag(), id, agent.Id, onlyIfFree: true, http.RequestAborted);
        if (taken == AssignOutcome.Assigned)
        {
            // Only what was done: who, which appointment (its id), to whom. A refused try changes nothing and is not recorded.
            await AdminAudit.RecordAsync(http, AdminActions.AppointmentTake, agent, id);
            notifier.Changed(http.TenantTag());
            // The appointment's agent decides who sees its data on the overview (need to know): the lists move too.
            await contacts.ChangedAsync(http.TenantTag());
        }

        return new SeeOther($"/{http.TenantTag()}/desk/appointments?message=" + Message(taken, "taken"));
    }

    private static async Task<IResult> AssignAsync(
        HttpContext http, string id, IFormCollection form, UserManager<Agent> users, AppointmentList list, AppointmentNotifier notifier, ContactNotifier contacts)
    {
        var target = await users.FindByIdAsync(form["agent"].ToString());
        if (target is not null && await users.IsInRoleAsync(target, AgentAuthorization.PrivacyRole))
        {
            return new SeeOther($"/{http.TenantTag()}/desk/appointments?message=not-an-agent");
        }

        var assigned = target is null ? AssignOutcome.Gone : await list.AssignAsync(http.TenantTag(), id, target.Id, onlyIfFree: false, http.RequestAborted);
        if (assigned == AssignOutcome.Assigned)
        {
            await AdminAudit.RecordAsync(http, AdminActions.AppointmentAssign, target!, id);
            notifier.Changed(http.TenantTag());
            await contacts.ChangedAsync(http.TenantTag());
        }

        return new SeeOther($"/{http.TenantTag()}/desk/appointments?message=" + Message(assigned, "assigned"));
    }

    private static string Message(AssignOutcome outcome, string done) => outcome switch
    {
        AssignOutcome.Assigned => done,
        AssignOutcome.Over => "over",
        AssignOutcome.InCall => "in-call",
        _ => "gone",
    };

    /// <summary>Asks first: a link (or a mail scanner) cancels nothing.</summary>
    private static async Task<IResult> CancelPageAsync(HttpContext http, string id, AppointmentStore appointments, AppointmentList list)
    {
        var page = DeskPages.For(http);
        if (id.Length <= 64 && await list.InCallAsync(page.TenantTag, id, http.RequestAborted))
        {
            return new SeeOther($"/{page.TenantTag}/desk/appointments?message=in-call" + (page.English ? "&lang=en" : ""));
        }

        var appointment = await appointments.FindOpenAsync(page.TenantTag, id, http.RequestAborted);
        var back = $"/{page.TenantTag}/desk/appointments" + (page.English ? "?lang=en" : "");
        if (appointment is null)
        {
            return new SeeOther($"/{page.TenantTag}/desk/appointments?message=gone" + (page.English ? "&lang=en" : ""));
        }

        var agent = (await http.CurrentAgentAsync())!;
        return new RazorComponentResult<AgentCancelAppointmentPage>(new
        {
            page.Brand,
            When = AppointmentMail.When(appointment.Start!.Value, page.English),
            PurposeName = Purposes(page).FirstOrDefault(p => p.Key == appointment.Purpose).Value ?? appointment.Purpose,
            Action = $"/{page.TenantTag}/desk/appointments/{id}/cancel" + (page.English ? "?lang=en" : ""),
            BackUrl = back,
            page.AntiforgeryField,
            page.AntiforgeryToken,
            page.English,
        });
    }

    /// <summary>Any agent of the tenant may cancel a coming appointment; the audit log records who.</summary>
    private static async Task<IResult> CancelAsync(HttpContext http, string id, IFormCollection form, AppointmentCancellation cancellation, AppointmentList list)
    {
        _ = form; // Binding the form makes the antiforgery check run.
        var agent = (await http.CurrentAgentAsync())!;
        var cancelled = await cancellation.CancelByAgentAsync(http.TenantTag(), id, agent, http.RequestAborted);
        if (cancelled)
        {
            await AdminAudit.RecordAsync(http, AdminActions.AppointmentCancel, "", "", id);
        }

        // Not cancelled: gone, or a colleague's running call, which is not cut off from the list (the holder hangs up).
        var message = cancelled ? "cancelled" : id.Length <= 64 && await list.InCallAsync(http.TenantTag(), id, http.RequestAborted) ? "in-call" : "gone";
        return new SeeOther($"/{http.TenantTag()}/desk/appointments?message=" + message + (http.PrefersEnglish() ? "&lang=en" : ""));
    }

    /// <summary>
    /// *Inwoner niet verschenen*: the agent holding the appointment (any agent for one nobody holds) ends it as not come
    /// (<see cref="AppointmentList.MarkNoShowAsync"/>), audited; a refused try is not.
    /// </summary>
    private static async Task<IResult> NoShowAsync(
        HttpContext http, string id, IFormCollection form, AppointmentList list, AppointmentNotifier notifier, ContactNotifier contacts)
    {
        _ = form; // Binding the form makes the antiforgery check run.
        var agent = (await http.CurrentAgentAsync())!;
        var marked = id.Length <= 64 && await list.MarkNoShowAsync(http.TenantTag(), id, agent.Id, http.RequestAborted);
        if (marked)
        {
            await AdminAudit.RecordAsync(http, AdminActions.AppointmentNoShow, "", "", id);
            notifier.Changed(http.TenantTag());
            await contacts.ChangedAsync(http.TenantTag());
        }

        return new SeeOther($"/{http.TenantTag()}/desk/appointments?message=" + (marked ? "no-show" : "no-show-refused") + (http.PrefersEnglish() ? "&lang=en" : ""));
    }

    /// <summary>Plans a video session for someone who phoned in: now or at a chosen time; the same e-mail goes out.</summary>
    private static async Task<IResult> PlanAsync(
        HttpContext http, IFormCollection form, AppointmentList list, TenantDatabases databases,
        AppointmentStore appointments, PlanFormIds formIds, MailOutbox outbox, MailSender sender, AppointmentNotifier notifier, IOptions<IdContactOptions> options, TimeProvider time)
    {
        var english = http.PrefersEnglish();
        var tenant = http.Tenant();
        var email = form["email"].ToString().Trim();
        var purpose = form["purpose"].ToString();
        var language = form["language"].ToString() is AppointmentMail.English ? AppointmentMail.English : AppointmentMail.Dutch;
        var callId = form["call"].ToString();
        var agent = (await http.CurrentAgentAsync())!;
        // What was typed stays on a refused form; its new rendering gets a fresh one-time id.
        Task<IResult> RefuseAsync(string message, string? field = null, string? linkedCall = null) => RenderAsync(
            http, list, databases, message, null, 400, linkedCall, new PlanForm(Shorten(email), purpose, language, form["when"] == "later", Shorten(form["at"].ToString()), field));

        var formId = formIds.Read(http.TenantTag(), form["plan"].ToString());
        if (formId is null)
        {
            return await RefuseAsync(english ? "This form could not be read; check it and send it again." : "Dit formulier kon niet worden gelezen; controleer het en verstuur het opnieuw.");
        }

        var planKey = formId.Value.Key;
        // Asked first even of an old form: its appointment may stand, and "send it again" would plan a second one.
        if (await appointments.FindPlannedAsync(http.TenantTag(), planKey, http.RequestAborted) is { } earlier)
        {
            return await AlreadyPlannedAsync(http, list, databases, earlier);
        }

        var call = callId.Length > 0 ? await appointments.FindHeldCallAsync(http.TenantTag(), callId, agent.Id, http.RequestAborted) : null;
        if (formId.Value.TooOld)
        {
            // Its appointment may have been deleted (cancelled, or ended and past retention): the key proves nothing more.
            return await RefuseAsync(english ? "This form is too old. Check the details and send it again." : "Dit formulier is te oud. Controleer de gegevens en verstuur opnieuw.", linkedCall: call?.Id);
        }

        var now = time.GetUtcNow();
        DateTimeOffset? start = form["when"] == "later" ? ParseLocal(form["at"].ToString()) : now;
        // Each message names the field it is about, so the page links it there (WCAG 3.3.1); the call's have none.
        var (error, field) = !VideoEndpoints.IsEmail(email) ? (english ? "Enter a valid e-mail address." : "Vul een geldig e-mailadres in.", "email")
            : tenant.Purposes.All(p => p.Tag != purpose) ? (english ? "Choose a subject." : "Kies een onderwerp.", "purpose")
            : start is null || start < now.AddMinutes(-1) || start > now.AddDays(90) ? (english ? "Choose a time from now to 90 days ahead." : "Kies een tijd van nu tot 90 dagen vooruit.", "at")
            : callId.Length > 0 && call is null ? (english ? "That phone call has ended or is not yours." : "Dat telefoongesprek is beëindigd of niet van u.", null)
            // The proven data goes along only to a call now: it is not kept for a later appointment.
            : call is not null && form["when"] != "now" ? (english ? "A video call with the phone call's data can only be planned for now." : "Een videogesprek met de gegevens van het telefoongesprek kan alleen voor nu worden gepland.", "when")
            : ((string?)null, (string?)null);
        if (error is not null)
        {
            return await RefuseAsync(error, field, call?.Id);
        }

        var booked = await appointments.PlanOnceAsync(http.TenantTag(), purpose, email, start!.Value, agent.Id, language, planKey, http.RequestAborted);
        if (booked is null)
        {
            // The same form, posted at once on another request or instance, planned there (between the check above and
            // the save: the unique index decided). Null only if that appointment was deleted again since.
            return await AlreadyPlannedAsync(http, list, databases, await appointments.FindPlannedAsync(http.TenantTag(), planKey, http.RequestAborted));
        }

        if (call is not null)
        {
            await appointments.LinkCallAsync(http.TenantTag(), call, booked.Appointment.SessionId, agent, http.RequestAborted);
        }

        notifier.Changed(http.TenantTag());
        var (message, _) = VideoEndpoints.Compose(tenant, booked, options.Value, now);
        var sent = await outbox.SendAsync(http.TenantTag(), booked.Appointment.Id, message, http.RequestAborted);
        var text = sent
            ? (english ? "The video call is planned and the e-mail was sent." : "Het videogesprek is gepland en de e-mail is verstuurd.")
            : (english ? "The video call is planned, but the e-mail was not sent yet; it is retried." : "Het videogesprek is gepland, maar de e-mail is nog niet verstuurd; we proberen het opnieuw.");
        if (await list.OverlapAsync(http.TenantTag(), booked.Appointment, http.RequestAborted) is { } other)
        {
            // Allowed (someone phoned in and needs a call now), but two calls at one time cannot both be held on time.
            var at = AppointmentMail.When(other, english);
            text += english
                ? $" Note: you already have another appointment at that time ({at}); a colleague can take one (Assign)."
                : $" Let op: u heeft op dat moment al een andere afspraak ({at}); een collega kan er een overnemen (Toewijzen).";
        }

        // Without a mail server (demo only) the agent sees the link the e-mail file holds (in the e-mail's language), to try it.
        return await RenderAsync(http, list, databases, text, sender.WritesFiles ? booked.Localized(language == AppointmentMail.English).Link : null);
    }

    /// <summary>
    /// A planning form posted again (reloaded, or clicked twice): nothing more is planned or sent. The link is not shown
    /// again: the desk keeps only its hash; the resident has it in the e-mail, and the agent finds the appointment in the list.
    /// </summary>
    private static async Task<IResult> AlreadyPlannedAsync(HttpContext http, AppointmentList list, TenantDatabases databases, Appointment? earlier)
    {
        var english = http.PrefersEnglish();
        var purpose = earlier is null ? null : Purposes(DeskPages.For(http)).FirstOrDefault(p => p.Key == earlier.Purpose).Value ?? earlier.Purpose;
        var what = earlier is null ? "" : $": {purpose}, {AppointmentMail.When(earlier.Start!.Value, english)}";
        var text = english
            ? $"This appointment is already planned{what}. No second one was planned and no second e-mail was sent; the appointment is in the list below."
            : $"Deze afspraak is al gepland{what}. Er is geen tweede gepland en geen tweede e-mail verstuurd; de afspraak staat in de lijst hieronder.";
        return await RenderAsync(http, list, databases, text, null);
    }

    private static string Shorten(string text) => text.Length > 254 ? text[..254] : text;

    /// <summary>An HTML datetime-local value ("2026-03-02T10:00") read as Amsterdam time.</summary>
    private static DateTimeOffset? ParseLocal(string value) =>
        DateTime.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
        && !DutchTime.Zone.IsInvalidTime(local)
            ? DutchTime.Instant(local)
            : null;
}
