using System.Globalization;
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
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Phone;

public enum WebCodeStep
{
    /// <summary>The code field (again, with the one message for a wrong code).</summary>
    Enter,

    /// <summary>A right code: the purpose's sign-in methods.</summary>
    Choose,

    /// <summary>Back from signing in: go back to the call.</summary>
    Done,

    /// <summary>This address typed too many wrong codes (429).</summary>
    TooMany,

    /// <summary>The core could not list methods or start the sign-in.</summary>
    Failed,

    /// <summary>The desk has no starter key, or the page's link is not (or no longer) valid.</summary>
    Unavailable,
}

/// <summary>
/// Identifying a caller on the web during a call (M5 for the phone, C4): the agent starts it on the overview and reads out
/// an address and a one-time code (<c>/{tenant}/desk/identify…</c>); the caller types the code at <c>/{tenant}/id</c>,
/// chooses a sign-in method and signs in; the result arrives at the phone attr_url and shows on the agent's page.
/// The caller's forms carry no antiforgery token: they act on nothing of the caller's own, and the code is the secret.
/// </summary>
public static class WebCodeEndpoints
{
    private const string DonePurpose = "IdContact.Desk.WebCode.Done";

    /// <summary>The choice step's state (browser id, code, purpose), posted back by its language switch.</summary>
    private const string ChoicePurpose = "IdContact.Desk.WebCode.Choice";

    /// <summary>A typed value longer than this is no code (spaces and dashes included), and is not looked up.</summary>
    private const int MaxTyped = 40;

    public static void MapWebCode(this IEndpointRouteBuilder app)
    {
        var agent = app.MapTenantGroup("/desk").ExcludeFromDescription()
            .RequireAuthorization(AgentAuthorization.AgentPolicy).AddEndpointFilter(PasswordEndpoints.RequireOwnPassword);
        agent.MapPost("/identify", CreateAsync);
        agent.MapGet("/identify/{id}", (HttpContext http, ContactsQuery query, ChatStore chats, string id, string? message) =>
            AgentEndpoints.OverviewAsync(http, query, chats, message, null, null, id));
        agent.MapPost("/identify/{id}/end", EndAsync);
        agent.MapPost("/identify/{id}/renew", RenewAsync);

        var pages = app.MapTenantGroup("/id").ExcludeFromDescription().DisableAntiforgery().RequireSameOriginPosts();
        // Each view of the code page mints a browser id (a budget of wrong codes): views are limited per address too. A
        // language switch by a browser that has its id mints nothing, so it uses up none of those views.
        var languageOnly = new RateLimits.Uncounted(WebCodeBrowser.OnlySwitchesLanguage);
        pages.MapGet("", EnterPage).RequireRateLimiting(RateLimits.WebCodePage).WithMetadata(languageOnly);
        pages.MapPost("", CheckAsync).RequireRateLimiting(RateLimits.Start);
        pages.MapPost("/start", StartAsync).RequireRateLimiting(RateLimits.Start);
        // The choice step in the other language: it shows what a right code showed this browser and checks no code, so a
        // browser with its id switching costs no start (a post without the id counts as a code post; it is refused).
        pages.MapPost("/choose", ChooseAgainAsync).RequireRateLimiting(RateLimits.Start).WithMetadata(languageOnly);
        pages.MapGet("/done/{capability}", DoneAsync).RequireRateLimiting(RateLimits.WebCodePage).WithMetadata(languageOnly);
    }

    /// <summary>The code field; a browser without the web-code cookie gets one here (<see cref="WebCodeBrowser"/>).</summary>
    private static RazorComponentResult EnterPage(HttpContext http, Identification identification)
    {
        if (!identification.Enabled)
        {
            return Page(http, WebCodeStep.Unavailable, 404);
        }

        WebCodeBrowser.Ensure(http);
        return Page(http, WebCodeStep.Enter, 200);
    }

    /// <summary>The purposes an agent may identify a caller for, in the page's language; null when identification is off.</summary>
    internal static IReadOnlyList<(string Tag, string Name)>? Purposes(HttpContext http)
    {
        if (!http.RequestServices.GetRequiredService<Identification>().Enabled)
        {
            return null;
        }

        var english = http.PrefersEnglish();
        return http.Tenant().Purposes.Select(p => (p.Tag, english ? p.NameEn ?? p.Name : p.Name)).ToList();
    }

    private static async Task<IResult> CreateAsync(HttpContext http, IFormCollection form, WebCodes codes, Identification identification)
    {
        var purpose = form["purpose"].ToString();
        if (!identification.Enabled)
        {
            return Problems.BadRequest("Not available", "Identification during a call needs the desk's starter key (Desk:StarterKey).");
        }

        if (!http.Tenant().Purposes.Any(p => p.Tag == purpose))
        {
            return Problems.BadRequest("Unknown purpose", "Choose one of the municipality's subjects.");
        }

        var tenant = http.TenantTag();
        var lang = http.PrefersEnglish() ? "?lang=en" : "";
        var agent = (await http.CurrentAgentAsync())!;
        var contact = await codes.CreateAsync(tenant, agent, purpose, http.RequestAborted);
        return contact is null
            ? new SeeOther($"/{tenant}/desk?message=identify-full" + (lang.Length > 0 ? "&lang=en" : ""))
            : new SeeOther($"/{tenant}/desk/identify/{contact.Id}{lang}");
    }

    private static async Task<IResult> EndAsync(HttpContext http, string id, IFormCollection form, WebCodes codes)
    {
        _ = form; // Binding the form makes the antiforgery check run.
        var agent = (await http.CurrentAgentAsync())!;
        var ended = await codes.EndAsync(http.TenantTag(), id, agent, http.RequestAborted);
        return new SeeOther($"/{http.TenantTag()}/desk?message=" + (ended ? "identify-ended" : "gone") + (http.PrefersEnglish() ? "&lang=en" : ""));
    }

    private static async Task<IResult> RenewAsync(HttpContext http, string id, IFormCollection form, WebCodes codes)
    {
        _ = form; // Binding the form makes the antiforgery check run.
        var tenant = http.TenantTag();
        var agent = (await http.CurrentAgentAsync())!;
        var english = http.PrefersEnglish();
        var (outcome, renewed) = await codes.RenewAsync(tenant, id, agent, http.RequestAborted);
        return outcome switch
        {
            WebCodeRenewal.Renewed => new SeeOther($"/{tenant}/desk/identify/{renewed}" + (english ? "?lang=en" : "")),
            WebCodeRenewal.Full => new SeeOther($"/{tenant}/desk/identify/{id}?message=identify-full" + (english ? "&lang=en" : "")),
            _ => new SeeOther($"/{tenant}/desk?message=gone" + (english ? "&lang=en" : "")),
        };
    }

    private static async Task<IResult> CheckAsync(HttpContext http, IFormCollection form, WebCodes codes, Identification identification)
    {
        if (!identification.Enabled)
        {
            return Page(http, WebCodeStep.Unavailable, 404);
        }

        var (code, refusal) = await CheckCodeAsync(http, form, codes, spend: false);
        if (refusal is not null)
        {
            return refusal;
        }

        var english = http.PrefersEnglish();
        var methods = await identification.MethodsAsync(http.TenantTag(), code!.Purpose, english, http.RequestAborted);
        return methods.Count == 0
            ? Page(http, WebCodeStep.Failed, StatusCodes.Status502BadGateway)
            : Page(http, WebCodeStep.Choose, 200, code: code.Code, purpose: code.Purpose, methods: methods);
    }

    private static async Task<IResult> StartAsync(HttpContext http, IFormCollection form, WebCodes codes, Identification identification, IDataProtectionProvider protection, IOptions<IdContactOptions> options)
    {
        if (!identification.Enabled)
        {
            return Page(http, WebCodeStep.Unavailable, 404);
        }

        var method = form["auth_method"].ToString();
        if (method.Length is 0 or > 100)
        {
            return Page(http, WebCodeStep.Failed, StatusCodes.Status400BadRequest);
        }

        // The code is spent before the sign-in starts: of two browsers with the same code, one signs in.
        var (code, refusal) = await CheckCodeAsync(http, form, codes, spend: true);
        if (refusal is not null)
        {
            return refusal;
        }

        var tenant = http.TenantTag();
        var english = http.PrefersEnglish();
        var capability = Protector(protection, tenant).Protect(code!.Contact.Id, TimeSpan.FromMinutes(options.Value.Desk().RetentionMinutes));
        var next = await identification.StartAsync(
            tenant, code.Purpose, LanguageExtensions.WithLanguage("/id/done/" + capability, english), "/phone/attr/" + code.Contact.Id, method, http.RequestAborted);
        if (next is null)
        {
            // Not the request's token: a browser that went away mid-start cancelled it, and its code must come back all the same.
            await codes.RestoreAsync(tenant, code.Contact, CancellationToken.None);
            return Page(http, WebCodeStep.Failed, StatusCodes.Status502BadGateway);
        }

        return new SeeOther(next);
    }

    private sealed record CheckedCode(string Code, ContactSession Contact)
    {
        public string Purpose => Contact.Purpose;
    }

    /// <summary>The typed code (spaces and dashes allowed), checked and counted; or the page that says why not.</summary>
    private static async Task<(CheckedCode? Code, IResult? Refusal)> CheckCodeAsync(HttpContext http, IFormCollection form, WebCodes codes, bool spend)
    {
        var english = http.PrefersEnglish();

        // Every counted try belongs to a browser: a post without the page's cookie (dropped, forged, blocked) is not
        // checked nor counted; this answer sets the cookie, so typing the code again works.
        if (WebCodeBrowser.IdOf(http) is not { } browser)
        {
            return (null, Expired(http));
        }

        var typed = form["code"].ToString();
        var code = string.Concat(typed.Where(c => c is not (' ' or '-' or '.')));
        if (code.Length == 0)
        {
            return (null, Page(http, WebCodeStep.Enter, 400, error: english ? "Type the code the agent read out to you." : "Vul de code in die de medewerker u voorlas."));
        }

        var wrong = Page(http, WebCodeStep.Enter, 400, error: english
            ? "This code is not right or no longer valid. Check the digits, or ask the agent for a new code."
            : "Deze code klopt niet of is niet meer geldig. Controleer de cijfers, of vraag de medewerker om een nieuwe code.");
        if (typed.Length > MaxTyped)
        {
            return (null, wrong);
        }

        var tenant = http.TenantTag();
        var address = http.Connection.RemoteIpAddress?.ToString();
        var (check, contact, wait) = await codes.CheckAsync(tenant, code, address, browser, spend, http.RequestAborted);
        switch (check)
        {
            case WebCodeCheck.Right:
                return (new CheckedCode(code, contact!), null);
            case WebCodeCheck.TooMany:
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return (null, Page(http, WebCodeStep.TooMany, StatusCodes.Status429TooManyRequests, retryMinutes: (int)Math.Ceiling(wait.TotalMinutes)));
            default:
                return (null, wrong);
        }
    }

    /// <summary>The page asked again for a post it cannot answer; it sets the browser's cookie, so typing the code again works.</summary>
    private static RazorComponentResult Expired(HttpContext http)
    {
        WebCodeBrowser.Ensure(http);
        return Page(http, WebCodeStep.Enter, 400, error: http.PrefersEnglish()
            ? "This page had expired. Reload the page and type the code again; the page needs a cookie for that."
            : "Deze pagina was verlopen. Laad de pagina opnieuw en vul de code nog een keer in; de pagina heeft daarvoor een cookie nodig.");
    }

    /// <summary>
    /// The choice step again, in the language asked: from the choice the page was given after a right code (sealed to
    /// this browser's id, for the code's lifetime), not from a typed code, so it looks nothing up and counts no try.
    /// Whether the code is still live is for <c>/start</c> to say, as it would on the first rendering.
    /// </summary>
    private static async Task<IResult> ChooseAgainAsync(HttpContext http, IFormCollection form, Identification identification)
    {
        if (!identification.Enabled)
        {
            return Page(http, WebCodeStep.Unavailable, 404);
        }

        if (OpenChoice(http, form["choice"].ToString()) is not (var code, var purpose))
        {
            return Expired(http);
        }

        var methods = await identification.MethodsAsync(http.TenantTag(), purpose, http.PrefersEnglish(), http.RequestAborted);
        return methods.Count == 0
            ? Page(http, WebCodeStep.Failed, StatusCodes.Status502BadGateway)
            : Page(http, WebCodeStep.Choose, 200, code: code, purpose: purpose, methods: methods);
    }

    private static ITimeLimitedDataProtector ChoiceProtector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(ChoicePurpose, http.TenantTag()).ToTimeLimitedDataProtector();

    private static string SealChoice(HttpContext http, string code, string purpose) =>
        ChoiceProtector(http).Protect(string.Join('\n', WebCodeBrowser.IdOf(http), code, purpose), TimeSpan.FromMinutes(http.Tenant().Desk().WebCode.LifetimeMinutes));

    /// <summary>The code and purpose of a choice sealed to this very browser; null when forged, expired or another browser's.</summary>
    private static (string Code, string Purpose)? OpenChoice(HttpContext http, string sealedChoice)
    {
        if (sealedChoice.Length is 0 or > 1000 || WebCodeBrowser.IdOf(http) is not { } browser)
        {
            return null;
        }

        try
        {
            return ChoiceProtector(http).Unprotect(sealedChoice).Split('\n') is [var owner, var code, var purpose] && owner == browser ? (code, purpose) : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Where the caller lands after signing in. The capability (the contact's id, encrypted and time-limited) lets a result
    /// sent on this landing URL (auth plugins that deliver it there) reach the contact, as the chat's page does.
    /// </summary>
    private static async Task<IResult> DoneAsync(HttpContext http, string capability, string? result, IDataProtectionProvider protection, SessionStore sessions, WebCodes codes)
    {
        var tenant = http.TenantTag();
        string id;
        try
        {
            id = Protector(protection, tenant).Unprotect(capability);
        }
        catch (CryptographicException)
        {
            return Page(http, WebCodeStep.Unavailable, 404);
        }

        if (result is not null)
        {
            if (await codes.FindAsync(tenant, id, http.RequestAborted) is not null)
            {
                await sessions.AcceptResultAsync(tenant, Channels.Phone, id, result, http.RequestAborted);
            }

            return new SeeOther(LanguageExtensions.WithLanguage($"/{tenant}/id/done/{capability}", http.PrefersEnglish()));
        }

        return Page(http, WebCodeStep.Done, 200);
    }

    private static ITimeLimitedDataProtector Protector(IDataProtectionProvider protection, string tenant) =>
        protection.CreateProtector(DonePurpose, tenant).ToTimeLimitedDataProtector();

    private static RazorComponentResult Page(
        HttpContext http, WebCodeStep step, int status, string? error = null, string? code = null, string? purpose = null,
        IReadOnlyList<Protocol.Messages.MethodOption>? methods = null, int retryMinutes = 0)
    {
        var tenant = http.Tenant();
        var english = http.PrefersEnglish();
        return new RazorComponentResult<WebCodePage>(new
        {
            TenantTag = http.TenantTag(),
            Municipality = tenant.DisplayName,
            English = english,
            Step = step,
            CodeLength = tenant.Desk().WebCode.Length,
            Error = error,
            Code = code,
            PurposeName = tenant.Purposes.FirstOrDefault(p => p.Tag == purpose) is { } p ? (english ? p.NameEn ?? p.Name : p.Name) : null,
            Methods = methods ?? [],
            Choice = step is WebCodeStep.Choose && code is not null && purpose is not null ? SealChoice(http, code, purpose) : null,
            RetryMinutes = retryMinutes,
        })
        { StatusCode = status };
    }
}
