using IdContact.Desk.Agents;
using IdContact.Desk.Pages;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using IdContact.Protocol.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Chat;

/// <summary>
/// The chat comm plugin under <c>/{tenant}/chat</c>: start_communication, attr_url, the resident's page (the
/// client_url, whose path carries the chat's capability), and a start without identification for allowed purposes.
/// The resident's forms carry no antiforgery token: the capability in their URL is a secret no other site knows.
/// </summary>
public static class ChatEndpoints
{
    public static void MapChat(this IEndpointRouteBuilder app)
    {
        var chat = app.MapTenantGroup("/chat").WithTags("Chat");
        chat.MapPost("/start_communication", StartAsync)
            .RequireRateLimiting(RateLimits.PluginStart)
            .RequireBearerKey(o => o.Desk().ApiKey).WithName("ChatStart").WithSummary("Creates a chat: the resident's chat page (client_url) and attr_url.");
        chat.MapPost("/attr/{id}", ReceiveAsync).RequireRateLimiting(RateLimits.Result).WithName("ChatAttributes").WithSummary("Receives the auth-result token (application/jwt).");
        var pages = chat.MapGroup("").ExcludeFromDescription().DisableAntiforgery().RequireSameOriginPosts();
        pages.MapGet("/c/{capability}", PageAsync).RequireRateLimiting(RateLimits.ResidentConnection);
        pages.MapPost("/c/{capability}/end", EndAsync);
        pages.MapPost("/c/{capability}/send", SendAsync);
        pages.MapPost("/c/{capability}/identify", IdentifyAsync).RequireRateLimiting(RateLimits.Start);
        pages.MapGet("/new", NewPage);
        pages.MapPost("/new", NewAsync).RequireRateLimiting(RateLimits.Start);
        app.MapHub<ChatHub>("/{tenant}/chat/hub").RequireRateLimiting(RateLimits.ResidentConnection).WithMetadata(RateLimits.OpenConnectionsRequests);
    }

    private static Task<IResult> StartAsync(HttpContext http, ChatStore chats, SessionStore sessions, DeskKeys keys, PublicUrls urls) =>
        DeskRequest.StartAsync(http, keys, sessions, urls, async (tenant, purpose, ct) =>
        {
            var (session, capability) = await chats.CreateAsync(tenant, purpose, ct);
            return (session, urls.Tenant(tenant, "/chat/c/" + capability));
        });

    private static async Task<IResult> ReceiveAsync(HttpContext http, string id, SessionStore sessions, ChatStore chats, ChatFlow flow, OpenedResults results)
    {
        var body = await DeskRequest.ReadTokenAsync(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var tenant = http.TenantTag();
        var (outcome, reason) = await sessions.AcceptResultAsync(tenant, Channels.Chat, id, body.Value, http.RequestAborted);
        if (outcome != ResultOutcome.Accepted)
        {
            return DeskRequest.ResultProblem(outcome, reason);
        }

        if (await chats.FindAsync(tenant, id, http.RequestAborted) is { } session)
        {
            await flow.ResultArrivedAsync(tenant, id, results.Open(tenant, session).Status == AuthStatus.Success, http.RequestAborted);
        }

        return Results.Ok();
    }

    private static async Task<IResult> PageAsync(
        HttpContext http,
        string capability,
        string? result,
        ChatStore chats,
        ChatFlow flow,
        SessionStore sessions,
        OpenedResults results,
        Identification identification,
        IOptions<IdContactOptions> options)
    {
        var tenant = http.TenantTag();
        var english = http.PrefersEnglish();
        var ct = http.RequestAborted;
        var session = await chats.FindByCapabilityAsync(tenant, capability, ct);
        if (session is null)
        {
            return Notice(http, ChatNotice.Gone, StatusCodes.Status404NotFound);
        }

        var self = "/" + tenant + ChatPath(capability, english);
        if (result is not null)
        {
            // A result on the landing URL, for auth plugins that deliver it there: taken like a post to attr_url.
            var (outcome, _) = await sessions.AcceptResultAsync(tenant, Channels.Chat, session.Id, result, ct);
            if (outcome == ResultOutcome.Accepted && await chats.FindAsync(tenant, session.Id, ct) is { } withResult)
            {
                await flow.ResultArrivedAsync(tenant, session.Id, results.Open(tenant, withResult).Status == AuthStatus.Success, ct);
            }

            return new SeeOther(self);
        }

        if (session.State == ContactState.Waiting)
        {
            if (!await chats.CanStartAsync(tenant, ct))
            {
                return Notice(http, ChatNotice.NoAgent, StatusCodes.Status200OK);
            }

            await flow.ArriveAsync(tenant, session, ct);
            session = await chats.FindAsync(tenant, session.Id, ct) ?? session;
        }

        var pending = identification.Enabled && await chats.IdentificationPendingAsync(tenant, session.Id, ct);
        return new RazorComponentResult<ChatPage>(new
        {
            TenantTag = tenant,
            Municipality = http.Tenant().DisplayName,
            Capability = capability,
            English = english,
            Status = await chats.StatusAsync(tenant, session, ct),
            Lines = await chats.LinesAsync(tenant, session.Id, 0, ct),
            Methods = pending ? await identification.MethodsAsync(tenant, session.Purpose, english, ct) : [],
            RefreshSeconds = options.Value.Desk().AgentRefreshSeconds,
            MaxLineBreaks = options.Value.Desk().Chat.MaxLineBreaks,
        });
    }

    /// <summary>Sending without script: the form's hidden client id makes a double submit land once.</summary>
    private static async Task<IResult> SendAsync(HttpContext http, string capability, IFormCollection form, ChatStore chats, ChatFlow flow, ChatFlood flood, IOptions<IdContactOptions> options)
    {
        var tenant = http.TenantTag();
        var english = http.PrefersEnglish();
        if (await chats.FindByCapabilityAsync(tenant, capability, http.RequestAborted) is not { } session)
        {
            return Notice(http, ChatNotice.Gone, StatusCodes.Status404NotFound, getPath: ChatPage(tenant, capability));
        }

        var text = ChatRules.Tidy(form["text"].ToString());
        var clientId = form["client_id"].ToString();
        var refusal = ChatRules.Refusal(text, options.Value.Desk().Chat.MaxLineBreaks, english) ?? (ChatRules.IsClientId(clientId) ? null : "?");
        if (refusal is null && !await flood.TryTakeAsync(tenant, session.Id))
        {
            refusal = ChatRules.TooManyMessages(english);
        }

        if (refusal is not null)
        {
            return Results.Problem(statusCode: refusal.Contains("minu", StringComparison.Ordinal) ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest, title: english ? "Message not sent" : "Bericht niet verstuurd", detail: refusal);
        }

        await flow.SayAsync(tenant, session.Id, clientId, "resident", null, text, http.RequestAborted);
        return new SeeOther("/" + tenant + ChatPath(capability, english));
    }

    private static async Task<IResult> EndAsync(HttpContext http, string capability, ChatStore chats, ChatFlow flow)
    {
        var tenant = http.TenantTag();
        if (await chats.FindByCapabilityAsync(tenant, capability, http.RequestAborted) is { } session)
        {
            await flow.EndAsync(tenant, session, http.RequestAborted);
            return Notice(http, ChatNotice.Ended, StatusCodes.Status200OK);
        }

        return Notice(http, ChatNotice.Gone, StatusCodes.Status404NotFound, getPath: ChatPage(tenant, capability));
    }

    private static async Task<IResult> IdentifyAsync(HttpContext http, string capability, IFormCollection form, ChatStore chats, Identification identification)
    {
        var tenant = http.TenantTag();
        var english = http.PrefersEnglish();
        var session = await chats.FindByCapabilityAsync(tenant, capability, http.RequestAborted);
        if (session is null)
        {
            return Notice(http, ChatNotice.Gone, StatusCodes.Status404NotFound, getPath: ChatPage(tenant, capability));
        }

        var method = form["auth_method"].ToString();
        if (method.Length is 0 or > 100 || !await chats.IdentificationPendingAsync(tenant, session.Id, http.RequestAborted))
        {
            return new SeeOther("/" + tenant + ChatPath(capability, english));
        }

        var next = await identification.StartAsync(
            tenant, session.Purpose, ChatPath(capability, english), "/chat/attr/" + session.Id, method, http.RequestAborted);
        return next is null ? Notice(http, ChatNotice.IdentifyFailed, StatusCodes.Status502BadGateway, capability) : new SeeOther(next);
    }

    private static IResult NewPage(HttpContext http, string? purpose) =>
        StartsWithoutIdentification(http, purpose) ? Notice(http, ChatNotice.Start, StatusCodes.Status200OK, purpose: purpose) : Notice(http, ChatNotice.Gone, StatusCodes.Status404NotFound);

    private static async Task<IResult> NewAsync(HttpContext http, IFormCollection form, ChatStore chats)
    {
        var purpose = form["purpose"].ToString();
        if (!StartsWithoutIdentification(http, purpose))
        {
            return Notice(http, ChatNotice.Gone, StatusCodes.Status404NotFound);
        }

        var (_, capability) = await chats.CreateAsync(http.TenantTag(), purpose, http.RequestAborted);
        return new SeeOther("/" + http.TenantTag() + ChatPath(capability, http.PrefersEnglish()));
    }

    /// <summary>
    /// The resident's chat under its tenant, always in the language shown: without it a browser that prefers English
    /// would turn a Dutch chat English again.
    /// </summary>
    private static string ChatPath(string capability, bool english) => LanguageExtensions.WithLanguage($"/chat/c/{capability}", english);

    /// <summary>The chat's own page (GET), without a language: a notice's switch adds the other one.</summary>
    private static string ChatPage(string tenant, string capability) => $"/{tenant}/chat/c/{capability}";

    private static bool StartsWithoutIdentification(HttpContext http, string? purpose) =>
        purpose is not null && http.Tenant().Desk().Chat.PurposesWithoutIdentification.Contains(purpose) && http.Tenant().Purposes.Any(p => p.Tag == purpose);

    /// <summary>
    /// A notice in the language asked for. Its language switch shows only where it leads to the same notice: on a GET (the
    /// same address again), or on a post whose page's GET shows it (<paramref name="getPath"/>). The end of a chat or a
    /// sign-in that did not start cannot be asked again without doing what the post did.
    /// </summary>
    private static RazorComponentResult Notice(HttpContext http, ChatNotice notice, int status, string? capability = null, string? purpose = null, string? getPath = null)
    {
        var tenant = http.Tenant();
        return new RazorComponentResult<ChatNoticePage>(new
        {
            TenantTag = http.TenantTag(),
            Municipality = tenant.DisplayName,
            English = http.PrefersEnglish(),
            Notice = notice,
            PhoneNumber = tenant.Desk().PhoneNumber.Length > 0 ? tenant.Desk().PhoneNumber : null,
            tenant.Desk().Chat.AppointmentUrl,
            Capability = capability,
            Purpose = purpose,
            PurposeName = tenant.Purposes.FirstOrDefault(p => p.Tag == purpose) is { } p ? (http.PrefersEnglish() ? p.NameEn ?? p.Name : p.Name) : null,
            LanguageSwitch = HttpMethods.IsGet(http.Request.Method) || getPath is not null,
            PagePath = getPath,
        })
        { StatusCode = status };
    }
}

public enum ChatNotice
{
    /// <summary>No such chat (never was, another tenant's, or ended).</summary>
    Gone,

    /// <summary>The resident ended the chat just now.</summary>
    Ended,

    /// <summary>Closed, or no agent available: told before the chat starts, with the alternatives.</summary>
    NoAgent,

    /// <summary>The core could not start the sign-in.</summary>
    IdentifyFailed,

    /// <summary>The start page of a chat without identification.</summary>
    Start,
}
