using IdContact.Desk.Agents;
using IdContact.Desk.Chat;
using IdContact.Desk.Pages;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Video;

/// <summary>The agent's side of a video call under <c>/{tenant}/desk/video</c>: the call page, its data panel, the signalling hub.</summary>
public static class AgentVideoEndpoints
{
    public static void MapAgentVideo(this IEndpointRouteBuilder app)
    {
        var agent = app.MapTenantGroup("/desk/video").ExcludeFromDescription()
            .RequireAuthorization(AgentAuthorization.AgentPolicy).AddEndpointFilter(PasswordEndpoints.RequireOwnPassword);
        agent.MapGet("/{sessionId}", CallPageAsync);
        agent.MapGet("/{sessionId}/details", DetailsAsync);
        app.MapHub<AgentVideoHub>("/{tenant}/desk/video/hub");
    }

    /// <summary>Opening the call takes an appointment nobody holds; someone else's is refused with a message on the Afspraken page.</summary>
    private static async Task<IResult> CallPageAsync(
        HttpContext http, string sessionId, AppointmentStore appointments, ContactsQuery query, Identification identification,
        ContactNotifier notifier, AppointmentNotifier appointmentNotifier, IOptions<IdContactOptions> options)
    {
        var page = DeskPages.For(http);
        var agent = (await http.CurrentAgentAsync())!;
        var joined = sessionId.Length <= 64 ? await appointments.JoinAsAgentAsync(page.TenantTag, sessionId, agent.Id, http.RequestAborted) : AgentJoin.Unknown;
        if (joined != AgentJoin.Joined)
        {
            var message = joined switch
            {
                AgentJoin.NotYours => "call-not-yours",
                AgentJoin.TooEarly => "call-too-early",
                AgentJoin.Over => "call-over",
                // Deleted: hung up (a reload after the end), cancelled, or removed by retention; never taken by a colleague.
                _ => "call-gone",
            };
            return new SeeOther($"/{page.TenantTag}/desk/appointments?message={message}" + (page.English ? "&lang=en" : ""));
        }

        await notifier.ChangedAsync(page.TenantTag);
        appointmentNotifier.Changed(page.TenantTag);
        var view = (await query.IncomingAsync(page.TenantTag, page.Tenant, agent, page.English, null, http.RequestAborted, sessionId)).Single();
        return new RazorComponentResult<AgentVideoPage>(new
        {
            page.TenantTag,
            page.Brand,
            page.English,
            page.Tenant.Desk().ExternalLinkLabel,
            Contact = view,
            CanIdentify = identification.Enabled,
            options.Value.Desk().Chat.PresenceRenewSeconds,
        });
    }

    private static async Task<IResult> DetailsAsync(HttpContext http, string sessionId, AppointmentStore appointments, ContactsQuery query)
    {
        var agent = (await http.CurrentAgentAsync())!;
        var appointment = sessionId.Length <= 64 ? await appointments.FindBySessionAsync(http.TenantTag(), sessionId, http.RequestAborted) : null;
        return appointment is null || appointment.AgentId != agent.Id
            ? Results.NotFound()
            : await AgentChatEndpoints.DetailsPanelAsync(http, agent, query, sessionId);
    }
}
