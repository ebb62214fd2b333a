using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using System.Globalization;
using System.Reflection;
using IdContact.Desk.Admin;
using IdContact.Desk.Chat;
using IdContact.Desk.Exchange;
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
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.Agents;

/// <summary>The agent pages (P5–P8, M4) under <c>/{tenant}/desk</c>.</summary>
public static class AgentEndpoints
{
    public static void MapAgentPages(this IEndpointRouteBuilder app)
    {
        var desk = app.MapTenantGroup("/desk").ExcludeFromDescription();
        desk.MapGet("/login", (HttpContext http, string? returnUrl, string? signedout, string? ended, string? provider) =>
            Login(http, returnUrl, null, null, false, notice: LoginNotice(http, signedout, ended, provider),
                finishAtProvider: signedout is not null && provider == SignIn.OidcSignOut.InFrame && SignIn.OidcSignIn.Of(http) is { SignOutAtProvider: true }));
        desk.MapPost("/login", LoginAsync).RequireRateLimiting(RateLimits.Login);
        desk.MapPost("/logout", AgentSignOut.SignOutAsync);

        // Where sign-in lands: the overview, or for the data protection officer (who sees no contacts) the access log.
        desk.MapGet("", async (HttpContext http, ContactsQuery query, ChatStore chats, string? message, int? page) =>
                http.User.IsPrivacyOfficer() ? OfficerLanding(http) : await OverviewAsync(http, query, chats, message, null, page))
            .RequireAuthorization(AgentAuthorization.AccountPolicy).AddEndpointFilter(PasswordEndpoints.RequireOwnPassword);

        var agent = desk.MapGroup("").RequireAuthorization(AgentAuthorization.AgentPolicy).AddEndpointFilter(PasswordEndpoints.RequireOwnPassword);
        agent.MapGet("/calls/{callId}", (HttpContext http, ContactsQuery query, ChatStore chats, string callId) => OverviewAsync(http, query, chats, null, callId, null));
        agent.MapGet("/contacts", ContactsAsync);
        agent.MapCallTaking();
        app.MapHub<ContactsHub>("/{tenant}/desk/hub");

        app.MapGet("/desk-assets/{name}", (string name) =>
        {
            var stream = Assets.Contains(name) ? Assembly.GetExecutingAssembly().GetManifestResourceStream(name) : null;
            return stream is null ? Results.NotFound() : Results.Stream(stream, name.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "text/javascript");
        }).ExcludeFromDescription();
    }

    /// <summary>
    /// The officer's landing: the access log. Inside the workspace's frame, which may never show it (DeskPageHeaders), a
    /// framable page that opens it in a new tab; a browser that does not say it is framed gets the access log as before.
    /// </summary>
    private static IResult OfficerLanding(HttpContext http)
    {
        if (DeskPageHeaders.LoadsIntoFrame(http.Request) != true)
        {
            return new SeeOther($"/{http.TenantTag()}/desk/admin/access-log" + (http.PrefersEnglish() ? "?lang=en" : ""));
        }

        var page = DeskPages.For(http);
        return new RazorComponentResult<OfficerStartPage>(new { page.TenantTag, page.Brand, page.English });
    }

    /// <summary>The page scripts and sheets embedded in this assembly (IdContact.Desk.csproj), served under /desk-assets.</summary>
    private static readonly HashSet<string> Assets =
    [
        "signalr.min.js", "overview.js", "chat.js", "chat-outbox.js", "agent-chat.js", "chat.css", "agent-chat.css",
        "video-call.js", "video.js", "agent-video.js", "signed-in.js", "video.css", "appointments.js", "staffing.js", "live-refresh.js",
        "table-scroll.js", "focus-message.js", "confirm-submit.js", "print-button.js", "submit-once.js",
        "framed-links.js", "sign-in-methods.js", "desk-alerts.js", "alert-settings.js",
    ];

    /// <summary>
    /// Why the sign-in page opened, and after a sign-out whose provider session may still be open (<c>provider</c>: not
    /// visited, or pressed in the workspace's frame), that the agent should close the browser or sign out there.
    /// </summary>
    private static string? LoginNotice(HttpContext http, string? signedout, string? ended, string? provider)
    {
        var english = http.PrefersEnglish();
        var notice = LoginNotice(english, signedout, ended);
        if (notice is null || signedout is null || provider is not (SignIn.OidcSignOut.StillOpen or SignIn.OidcSignOut.InFrame)
            || SignIn.OidcSignIn.Label(http) is not { Length: > 0 } label)
        {
            return notice;
        }

        return notice + (english
            ? $" You may still be signed in at {label}: close the browser or sign out there as well."
            : $" U bent mogelijk nog ingelogd bij {label}: sluit de browser of log daar ook uit.");
    }

    /// <summary>Why the sign-in page opened: signed out here (<c>signedout</c>, "all" when every session ended), or the session ended elsewhere.</summary>
    private static string? LoginNotice(bool english, string? signedout, string? ended) => (signedout, ended) switch
    {
        ("all", _) => english ? "You have signed out. You have been signed out on other devices as well." : "U bent uitgelogd. Op andere apparaten bent u ook uitgelogd.",
        ({ }, _) => english ? "You have signed out." : "U bent uitgelogd.",
        (_, { }) => english ? "Your session has ended; please sign in again." : "Uw sessie is beëindigd; log opnieuw in.",
        _ => null,
    };

    private static RazorComponentResult Login(
        HttpContext http, string? returnUrl, string? userName, string? error, bool askCode, int? statusCode = null, string? notice = null,
        bool finishAtProvider = false)
    {
        var page = DeskPages.For(http);
        var oidc = SignIn.OidcSignIn.Of(http);
        return new RazorComponentResult<LoginPage>(new
        {
            page.Brand,
            page.English,
            Action = $"/{page.TenantTag}/desk/login",
            page.AntiforgeryField,
            page.AntiforgeryToken,
            ReturnUrl = returnUrl,
            UserName = userName,
            Error = error,
            AskCode = askCode,
            Notice = notice,
            ProviderLabel = oidc is null ? null : SignIn.OidcSignIn.Label(http),
            PasswordSignIn = oidc?.PasswordSignIn ?? true,
            FinishAtProviderAction = finishAtProvider ? $"/{page.TenantTag}/desk/logout/oidc" : null,
        })
        { StatusCode = statusCode ?? (error is null ? 200 : 400) };
    }

    /// <summary>The sign-in page with a message, for the identity provider's callback.</summary>
    internal static RazorComponentResult LoginPage(HttpContext http, string? returnUrl, string error, int statusCode) =>
        Login(http, returnUrl, null, error, false, statusCode);

    /// <summary>A real hash to check against when there is no agent or it is locked, so those cost as long as a wrong password.</summary>
    private static readonly string DummyHash = new PasswordHasher<Agent>().HashPassword(new Agent(), "no agent has this password");

    private static async Task<IResult> LoginAsync(HttpContext http, SignInManager<Agent> signIn, SignInBudget budget, DeviceCookies devices, IFormCollection form)
    {
        var english = http.PrefersEnglish();
        string userName = form["userName"].ToString(), password = form["password"].ToString(), code = form["code"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        if (!SignIn.OidcSignIn.AllowsPassword(http))
        {
            return Login(http, returnUrl, null, english
                ? "This municipality's agents sign in with its identity provider, not with a password."
                : "Medewerkers van deze gemeente loggen in via de eigen inlogdienst, niet met een wachtwoord.", false, StatusCodes.Status403Forbidden);
        }

        var tenant = http.TenantTag();
        var address = http.Connection.RemoteIpAddress?.ToString();
        if (code.Length > 0)
        {
            // Read before the step: a right code removes the cookie that names the agent. Without a pending step (expired,
            // or never asked for) there is nothing to check: no attempt is spent and no account comes nearer a lock-out.
            var pending = await signIn.GetTwoFactorAuthenticationUserAsync();
            if (pending is null)
            {
                return Login(http, returnUrl, userName, english
                    ? "Your sign-in has expired. Enter your user name and password again."
                    : "Uw aanmelding is verlopen. Vul uw gebruikersnaam en wachtwoord opnieuw in.", false);
            }

            var (refusedCode, codeDevice) = await ReserveAsync(http, budget, tenant, address, returnUrl, userName, devices.DeviceOf(http, pending));
            if (refusedCode is not null)
            {
                return refusedCode;
            }

            var pendingLocked = await signIn.UserManager.IsLockedOutAsync(pending);
            var twoFactor = await signIn.TwoFactorAuthenticatorSignInAsync(code.Replace(" ", ""), isPersistent: false, rememberClient: false);
            await RecordAsync(http, twoFactor, pending, pendingLocked, SignInSteps.PasswordAndCode, SignInSteps.Code);

            if (twoFactor.Succeeded)
            {
                await RefundAsync(budget, tenant, address, codeDevice);
                devices.Issue(http, pending);
            }

            return twoFactor.Succeeded
                ? new SeeOther(DeskPages.For(http).SafeReturnUrl(returnUrl))
                : Login(http, returnUrl, userName, twoFactor.IsLockedOut ? LockedText(english) : english ? "The code is not correct." : "De code klopt niet.", askCode: !twoFactor.IsLockedOut);
        }

        if (userName.Length is 0 or > 256 || password.Length is 0 or > 1024)
        {
            return Login(http, returnUrl, userName, english ? "Enter your user name and password." : "Vul uw gebruikersnaam en wachtwoord in.", false);
        }

        // Only a request that brings a device cookie looks the account up before its attempt is counted: the cookie
        // counts only for the very account whose name is tried.
        var users = signIn.UserManager;
        var lookedUp = DeviceCookies.Any(http);
        var agent = lookedUp ? await users.FindByNameAsync(userName) : null;
        var (refused, device) = await ReserveAsync(http, budget, tenant, address, returnUrl, userName, devices.DeviceOf(http, agent));
        if (refused is not null)
        {
            return refused;
        }

        agent = lookedUp ? agent : await users.FindByNameAsync(userName);
        // Read before the attempt, which may lock the account: a lock-out is recorded once, later attempts as refused.
        var wasLocked = agent is not null && await users.IsLockedOutAsync(agent);
        var result = agent is null ? SignInResult.Failed : await signIn.PasswordSignInAsync(agent, password, isPersistent: false, lockoutOnFailure: true);
        // A right password before the code is on record too: if no code follows, someone knows the password.
        await (result.RequiresTwoFactor
            ? SignInAudit.RecordAsync(http, AdminActions.CodeAsked, agent, SignInSteps.Password)
            : RecordAsync(http, result, agent, wasLocked, SignInSteps.Password, SignInSteps.Password));

        // A right password was no guess, also when the code step follows (which counts on its own). Given back even when
        // the browser has gone meanwhile (no cancellation): a right sign-in must not cost the address an attempt.
        if (result.Succeeded || result.RequiresTwoFactor)
        {
            await RefundAsync(budget, tenant, address, device);
        }

        if (result.Succeeded)
        {
            devices.Issue(http, agent!);
            return new SeeOther(DeskPages.For(http).SafeReturnUrl(returnUrl));
        }

        if (result.RequiresTwoFactor)
        {
            return Login(http, returnUrl, userName, null, askCode: true);
        }

        if (agent is null || result.IsLockedOut)
        {
            users.PasswordHasher.VerifyHashedPassword(new Agent(), DummyHash, password);
        }

        // Unknown user, wrong password and locked account look the same, so guessing names teaches nothing.
        return Login(http, returnUrl, userName, SignInFailedText(english), false);
    }

    /// <summary>
    /// Counts this attempt before the password or code is checked: against the device's budget when it brought a valid
    /// device cookie for the account (<paramref name="device"/>) with tries left, else against the address's. With a try
    /// left: no page, and the device counted (null: the address); else the 429 page, without checking anything. The
    /// first refusal of a window is noted once (log and admin audit, no address), so a flood writes no row per request.
    /// </summary>
    private static async Task<(IResult? Refused, string? Device)> ReserveAsync(
        HttpContext http, SignInBudget budget, string tenant, string? address, string? returnUrl, string userName, string? device)
    {
        if (device is not null && await budget.TryReserveDeviceAsync(tenant, device, http.RequestAborted))
        {
            return (null, device);
        }

        if (await budget.TryReserveAsync(tenant, address, http.RequestAborted))
        {
            return (null, null);
        }

        var (wait, first) = await budget.RefusedAsync(tenant, address, http.RequestAborted);
        if (first)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInBudget))
                .LogWarning("Sign-in attempts from one client address of {Tenant} refused until its hour ends: too many failed", tenant);
            await SignInAudit.RecordAddressRefusedAsync(http);
        }

        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return (Login(http, returnUrl, userName, TooManyText(http.PrefersEnglish(), (int)Math.Ceiling(wait.TotalMinutes)), false, StatusCodes.Status429TooManyRequests), null);
    }

    /// <summary>
    /// Gives back the attempt of a right password or code to the budget it was counted against, even when the browser
    /// has gone meanwhile (no cancellation): a right sign-in must not cost an attempt.
    /// </summary>
    private static Task RefundAsync(SignInBudget budget, string tenant, string? address, string? device) => device is null
        ? budget.RefundAsync(tenant, address, CancellationToken.None)
        : budget.RefundDeviceAsync(tenant, device, CancellationToken.None);

    private static string TooManyText(bool english, int minutes) => english
        ? $"Too many sign-in attempts from this network have failed. Try again in {CountText.Minutes(minutes, true)}."
        : $"Vanaf dit netwerk zijn te veel aanmeldpogingen mislukt. Probeer het over {CountText.Minutes(minutes, false)} opnieuw.";

    /// <summary>The attempt in the admin audit: signed in, failed, locked by this very attempt, or refused as locked already.</summary>
    private static Task RecordAsync(HttpContext http, SignInResult result, Agent? agent, bool wasLocked, string signedInWith, string step) =>
        SignInAudit.RecordAsync(http, result switch
        {
            { Succeeded: true } => AdminActions.SignIn,
            { IsLockedOut: true } => wasLocked ? AdminActions.SignInRefused : AdminActions.LockedOut,
            _ => AdminActions.SignInFailed,
        }, agent, result.Succeeded ? signedInWith : step);

    private static string SignInFailedText(bool english) => english
        ? "User name or password is not correct, or the account is locked for a while."
        : "Gebruikersnaam of wachtwoord onjuist, of het account is tijdelijk geblokkeerd.";

    internal static string LockedText(bool english) => english
        ? "This account is locked for a while after too many attempts. Try again later or ask your administrator."
        : "Dit account is tijdelijk geblokkeerd na te veel pogingen. Probeer het later opnieuw of vraag uw beheerder.";

    /// <summary>The contacts of one call (the per-call page), one web identification (its page), or one page of the overview.</summary>
    private static async Task<ContactPage> ContactsOfAsync(ContactsQuery query, DeskPages page, Agent agent, string? callId, string? sessionId, int? number, CancellationToken ct) =>
        callId is not null || sessionId is not null
            ? new ContactPage(await query.IncomingAsync(page.TenantTag, page.Tenant, agent, page.English, callId, ct, sessionId), 1, 0)
            : await query.PageAsync(page.TenantTag, page.Tenant, agent, page.English, number ?? 1, ct);

    /// <param name="sessionId">Only this contact: the page of an agent's web identification of a caller.</param>
    internal static async Task<IResult> OverviewAsync(HttpContext http, ContactsQuery query, ChatStore chats, string? message, string? callId, int? number, string? sessionId = null)
    {
        var page = DeskPages.For(http);
        var agent = (await http.CurrentAgentAsync())!;
        var contacts = await ContactsOfAsync(query, page, agent, callId, sessionId, number, http.RequestAborted);
        var desk = http.RequestServices.GetRequiredService<IOptions<IdContactOptions>>().Value.Desk();
        var paged = callId is null && sessionId is null;
        return new RazorComponentResult<OverviewPage>(new
        {
            Contacts = contacts,
            Paged = paged,
            SessionId = sessionId,
            IdentifyPurposes = paged ? Phone.WebCodeEndpoints.Purposes(http) : null,
            page.TenantTag,
            page.Brand,
            page.Tenant.Desk().ExternalLinkLabel,
            page.AntiforgeryField,
            page.AntiforgeryToken,
            CallId = callId,
            RefreshSeconds = desk.AgentRefreshSeconds,
            desk.Chat.PresenceRenewSeconds,
            desk.Chat.PresenceLeaseSeconds,
            desk.RetentionMinutes,
            page.English,
            // Opening the page is a sign of life: it renews the lease, and tells whether the agent takes chats.
            ChatAvailable = await chats.RenewAsync(page.TenantTag, agent.Id, http.RequestAborted),
            Message = message switch
            {
                "routed" => page.English ? "The call is being put through to your phone." : "Het gesprek wordt naar uw telefoon doorgeschakeld.",
                "no-extension" => page.English ? "You have no phone extension; ask your administrator." : "U heeft geen toestelnummer; vraag uw beheerder.",
                "route-failed" => page.English ? "The exchange could not put the call through. Try again." : "De telefooncentrale kon het gesprek niet doorschakelen. Probeer het opnieuw.",
                "gone" => page.English ? "That call has ended or was taken by someone else." : "Dat telefoongesprek is beëindigd of al door iemand anders aangenomen.",
                "chat-gone" => page.English ? "That chat has ended or was taken by someone else." : "Die chat is beëindigd of al door iemand anders aangenomen.",
                "chat-away" => page.English ? "Set yourself available to take chats." : "Meld u eerst beschikbaar om chats aan te nemen.",
                "chat-full" => page.English ? "You already hold as many chats as allowed." : "U heeft al het maximale aantal chats.",
                "chat-queue-empty" => page.English ? "No chat is waiting in the queue." : "Er wacht geen chat in de wachtrij.",
                "call-queue-empty" => page.English ? "No call is waiting in the queue." : "Er wacht geen gesprek in de wachtrij.",
                "chat-ended" => page.English ? "The chat has ended; its data has been deleted." : "De chat is beëindigd; de gegevens zijn verwijderd.",
                "chat-transferred" => page.English ? "The chat has been handed over." : "De chat is overgedragen.",
                "identify-ended" => page.English ? "The identification has ended; its data has been deleted." : "De identificatie is beëindigd; de gegevens zijn verwijderd.",
                "identify-full" => page.English ? "Too many codes are in use right now; try again in a few minutes." : "Er zijn nu te veel codes in gebruik; probeer het over enkele minuten opnieuw.",
                _ => null,
            },
        });
    }

    private static async Task<IResult> ContactsAsync(HttpContext http, ContactsQuery query, ChatStore chats, string? call, string? session, int? page)
    {
        var desk = DeskPages.For(http);
        var agent = (await http.CurrentAgentAsync())!;
        var contacts = await ContactsOfAsync(query, desk, agent, call, session, page, http.RequestAborted);
        return new RazorComponentResult<ContactList>(new
        {
            Contacts = contacts,
            Paged = call is null && session is null,
            desk.TenantTag,
            desk.Tenant.Desk().ExternalLinkLabel,
            desk.AntiforgeryField,
            desk.AntiforgeryToken,
            desk.English,
            // The list uses presence only for the take buttons of queued chats: without one waiting, no lookup.
            ChatAvailable = (contacts.Contacts.Any(c => c.Channel == Channels.Chat && c.State == ContactState.Queued) || contacts.Queue?.Chats.Count > 0)
                && await chats.IsAvailableAsync(desk.TenantTag, agent.Id, http.RequestAborted),
        });
    }
}
