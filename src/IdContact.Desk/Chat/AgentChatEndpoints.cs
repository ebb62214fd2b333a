using IdContact.Desk.Agents;
using IdContact.Desk.Pages;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Chat;

/// <summary>The agent's side of chats under <c>/{tenant}/desk</c>: availability, take, the conversation, identification, hand-over, end.</summary>
public static class AgentChatEndpoints
{
    public static void MapAgentChat(this IEndpointRouteBuilder app)
    {
        var agent = app.MapTenantGroup("/desk").ExcludeFromDescription()
            .RequireAuthorization(AgentAuthorization.AgentPolicy).AddEndpointFilter(PasswordEndpoints.RequireOwnPassword);
        agent.MapPost("/availability", AvailabilityAsync);
        agent.MapPost("/chats/{id}/take", TakeAsync);
        agent.MapPost("/chats/take-next", TakeNextAsync);
        agent.MapGet("/chats/{id}", ConversationAsync);
        agent.MapGet("/chats/{id}/details", DetailsAsync);
        agent.MapGet("/chats/mine", MineAsync);
        agent.MapPost("/chats/{id}/identify", IdentifyAsync);
        agent.MapPost("/chats/{id}/transfer", TransferAsync);
        agent.MapPost("/chats/{id}/end", EndAsync);
        app.MapHub<AgentChatHub>("/{tenant}/desk/chat/hub");
    }

    private static async Task<IResult> AvailabilityAsync(HttpContext http, IFormCollection form, ChatStore chats, ContactNotifier notifier)
    {
        var agent = (await http.CurrentAgentAsync())!;
        await chats.SetAvailableAsync(http.TenantTag(), agent.Id, form["available"] == "true", http.RequestAborted);
        await notifier.ChangedAsync(http.TenantTag());
        return new SeeOther(Overview(http, null));
    }

    private static async Task<IResult> TakeAsync(HttpContext http, string id, IFormCollection form, ChatFlow flow)
    {
        _ = form; // Binding the form makes the antiforgery check run.
        var agent = (await http.CurrentAgentAsync())!;
        return await flow.TakeAsync(http.TenantTag(), id, agent, http.RequestAborted) switch
        {
            TakeOutcome.Taken => new SeeOther(Conversation(http, id)),
            TakeOutcome.Away => new SeeOther(Overview(http, "chat-away")),
            TakeOutcome.Full => new SeeOther(Overview(http, "chat-full")),
            _ => new SeeOther(Overview(http, "chat-gone")),
        };
    }

    private static async Task<IResult> TakeNextAsync(HttpContext http, IFormCollection form, ChatFlow flow)
    {
        _ = form; // Binding the form makes the antiforgery check run.
        var agent = (await http.CurrentAgentAsync())!;
        var (outcome, id) = await flow.TakeNextAsync(http.TenantTag(), agent, http.RequestAborted);
        return outcome switch
        {
            TakeOutcome.Taken => new SeeOther(Conversation(http, id!)),
            TakeOutcome.Away => new SeeOther(Overview(http, "chat-away")),
            TakeOutcome.Full => new SeeOther(Overview(http, "chat-full")),
            TakeOutcome.Empty => new SeeOther(Overview(http, "chat-queue-empty")),
            _ => new SeeOther(Overview(http, "chat-gone")),
        };
    }

    private static async Task<IResult> ConversationAsync(
        HttpContext http, string id, ChatStore chats, ContactsQuery query, Identification identification, IOptions<IdContactOptions> options, string? message)
    {
        var page = DeskPages.For(http);
        var agent = (await http.CurrentAgentAsync())!;
        var ct = http.RequestAborted;
        var session = await chats.FindAsync(page.TenantTag, id, ct);
        if (session is null || session.AgentId != agent.Id)
        {
            return new SeeOther(Overview(http, "chat-gone"));
        }

        var view = (await query.IncomingAsync(page.TenantTag, page.Tenant, agent, page.English, null, ct, id)).Single();
        return new RazorComponentResult<AgentChatPage>(new
        {
            page.TenantTag,
            page.Brand,
            page.English,
            page.AntiforgeryField,
            page.AntiforgeryToken,
            page.Tenant.Desk().ExternalLinkLabel,
            Contact = view,
            Me = agent.DisplayName,
            Lines = await chats.LinesAsync(page.TenantTag, id, 0, ct),
            Chats = await MyChatsAsync(page, agent, chats, ct),
            Colleagues = await chats.OtherAvailableAgentsAsync(page.TenantTag, agent.Id, ct),
            CanIdentify = identification.Enabled,
            options.Value.Desk().Chat.PresenceRenewSeconds,
            options.Value.Desk().Chat.MaxLineBreaks,
            options.Value.Desk().Chat.ResidentGoneSeconds,
            page.Tenant.Desk().Chat.QuickReplies,
            IdentifyPending = await chats.IdentificationPendingAsync(page.TenantTag, id, ct),
            Message = message switch
            {
                "identify-asked" => page.English ? "Identification asked; the resident sees the request in the chat." : "Identificatie gevraagd; de inwoner ziet het verzoek in de chat.",
                "identify-failed" => page.English ? "Identification could not be requested; try again." : "Identificatie kon niet worden gevraagd; probeer het opnieuw.",
                "transfer-failed" => page.English ? "That colleague is not available or has too many chats." : "Die collega is niet beschikbaar of heeft te veel chats.",
                _ => null,
            },
        });
    }

    /// <summary>The proven-data panel of one chat, fetched again when a result arrives; every reveal is audited.</summary>
    private static async Task<IResult> DetailsAsync(HttpContext http, string id, ChatStore chats, ContactsQuery query)
    {
        var page = DeskPages.For(http);
        var agent = (await http.CurrentAgentAsync())!;
        var session = await chats.FindAsync(page.TenantTag, id, http.RequestAborted);
        if (session is null || session.AgentId != agent.Id)
        {
            return Results.NotFound();
        }

        return await DetailsPanelAsync(http, agent, query, id);
    }

    /// <summary>The data panel of a conversation (chat or video call) the agent holds: decrypted for them, audited.</summary>
    public static async Task<IResult> DetailsPanelAsync(HttpContext http, Agent agent, ContactsQuery query, string sessionId)
    {
        var page = DeskPages.For(http);
        var view = (await query.IncomingAsync(page.TenantTag, page.Tenant, agent, page.English, null, http.RequestAborted, sessionId)).Single();
        return new RazorComponentResult<ChatDetails>(new { Contact = view, page.English, page.Tenant.Desk().ExternalLinkLabel });
    }

    private static async Task<IResult> MineAsync(HttpContext http, ChatStore chats, string? current)
    {
        var page = DeskPages.For(http);
        var agent = (await http.CurrentAgentAsync())!;
        return new RazorComponentResult<MyChats>(new { Chats = await MyChatsAsync(page, agent, chats, http.RequestAborted), page.TenantTag, page.English, Current = current });
    }

    private static async Task<IResult> IdentifyAsync(HttpContext http, string id, IFormCollection form, ChatStore chats, ChatEvents events, OpenedResults results, Identification identification)
    {
        _ = form;
        var tenant = http.TenantTag();
        var agent = (await http.CurrentAgentAsync())!;
        var session = await chats.FindAsync(tenant, id, http.RequestAborted);
        if (session is null || session.AgentId != agent.Id)
        {
            return new SeeOther(Overview(http, "chat-gone"));
        }

        if (!identification.Enabled || results.Open(tenant, session).Status == Protocol.Tokens.AuthStatus.Success)
        {
            // Proven already (one proof per chat), or no starter key: nothing to ask.
            return new SeeOther(Conversation(http, id, "identify-failed"));
        }

        // A failed attempt is cleared, so this request can bring a result of its own.
        await chats.ClearResultAsync(tenant, id, http.RequestAborted);
        if (await chats.AddEventAsync(tenant, id, ChatKinds.IdentifyRequested, agent.DisplayName, http.RequestAborted) is { } line)
        {
            await events.LineAsync(tenant, id, agent.Id, line);
            await events.IdentifyAsync(tenant, id);
        }

        // The reloaded page says that it was asked, with the focus there (focus-message.js), not at the page's top.
        return new SeeOther(Conversation(http, id, "identify-asked"));
    }

    private static async Task<IResult> TransferAsync(HttpContext http, string id, IFormCollection form, ChatFlow flow)
    {
        var agent = (await http.CurrentAgentAsync())!;
        var to = await flow.TransferAsync(http.TenantTag(), id, agent, form["to"].ToString(), http.RequestAborted);
        return new SeeOther(to is null ? Conversation(http, id, "transfer-failed") : Overview(http, "chat-transferred"));
    }

    private static async Task<IResult> EndAsync(HttpContext http, string id, IFormCollection form, ChatStore chats, ChatFlow flow)
    {
        _ = form;
        var agent = (await http.CurrentAgentAsync())!;
        var session = await chats.FindAsync(http.TenantTag(), id, http.RequestAborted);
        if (session is not null && session.AgentId == agent.Id)
        {
            await flow.EndAsync(http.TenantTag(), session, http.RequestAborted);
        }

        return new SeeOther(Overview(http, "chat-ended"));
    }

    private static async Task<List<(string Id, string Purpose, DateTimeOffset Since)>> MyChatsAsync(DeskPages page, Agent agent, ChatStore chats, CancellationToken ct) =>
        (await chats.ChatsOfAsync(page.TenantTag, agent.Id, ct))
            .Select(s => (s.Id, page.Tenant.Purposes.FirstOrDefault(p => p.Tag == s.Purpose) is { } p ? (page.English ? p.NameEn ?? p.Name : p.Name) : s.Purpose, s.CreatedAt))
            .ToList();

    private static string Lang(HttpContext http) => http.PrefersEnglish() ? "lang=en" : "";

    private static string Overview(HttpContext http, string? message)
    {
        var query = string.Join('&', new[] { message is null ? "" : "message=" + message, Lang(http) }.Where(q => q.Length > 0));
        return $"/{http.TenantTag()}/desk" + (query.Length > 0 ? "?" + query : "");
    }

    private static string Conversation(HttpContext http, string id, string? message = null)
    {
        var query = string.Join('&', new[] { message is null ? "" : "message=" + message, Lang(http) }.Where(q => q.Length > 0));
        return $"/{http.TenantTag()}/desk/chats/{Uri.EscapeDataString(id)}" + (query.Length > 0 ? "?" + query : "");
    }
}
