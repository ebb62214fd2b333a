using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Desk.Chat;
using IdContact.Desk.Exchange;
using IdContact.Desk.Exchange.Simulator;
using IdContact.Desk.Pages;
using IdContact.Desk.Phone;
using IdContact.Desk.Retention;
using IdContact.Desk.Sessions;
using IdContact.Desk.SignIn;
using IdContact.Desk.Tenants;
using IdContact.Desk.Video;
using IdContact.Hosting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IdContact.Desk;

/// <summary>The municipality's contact desk role: phone channel, exchange API, agent and admin pages, retention.</summary>
public sealed class DeskRole : IRole
{
    public string Name => "desk";

    public IReadOnlyDictionary<string, Type> Sections { get; } = new Dictionary<string, Type> { ["Desk"] = typeof(DeskOptions) };

    public IReadOnlyDictionary<string, Type> TenantSections { get; } = new Dictionary<string, Type> { ["Desk"] = typeof(TenantDeskOptions) };

    public void Bind(IConfiguration configuration, IdContactOptions options)
    {
        configuration.GetSection("Desk").Bind(options.Desk());
        foreach (var (tag, tenant) in options.Tenants)
        {
            configuration.GetSection($"Tenants:{tag}:Desk").Bind(tenant.Desk());
        }
    }

    public void FillDefaults(IdContactOptions options, DevelopmentKeys? developmentKeys) => DeskDemo.Fill(options, developmentKeys);

    public void Validate(IdContactOptions options, List<string> problems) => DeskValidator.Validate(options, problems);

    public string? CoreKey(IdContactOptions options) => options.Desk().ApiKey;

    public void AddServices(IServiceCollection services, IdContactOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddSingleton<TenantDatabases>();
        services.AddSingleton<DeskKeys>();
        services.AddSingleton<ContactNotifier>();
        services.AddSingleton<UsedResults>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<WebCodes>();
        services.AddSingleton<Agents.SignInBudget>();
        services.AddSingleton<Agents.DeviceCookies>();
        services.AddSingleton<CallIdentification>();
        services.AddSingleton<WrongCodeAlarm>();
        services.AddSingleton<OpenedResults>();
        services.AddSingleton<DeskMetrics>();
        services.AddSingleton<ContactsQuery>();
        services.AddSingleton<Chat.AbsentChatHolders>();
        services.AddSingleton<RetentionService>();
        services.AddSingleton<DeletionPush>();
        services.AddSingleton<ChatStore>();
        services.AddSingleton<ChatTextProtector>();
        services.AddSingleton<AppointmentEmailProtector>();
        services.AddSingleton<SubjectPseudonyms>();
        services.AddSingleton<IdentifierHashes>();
        services.AddSingleton<ChatEvents>();
        services.AddSingleton<ChatFlow>();
        services.AddSingleton<SharedFloodCounter>();
        services.AddHostedService(sp => sp.GetRequiredService<SharedFloodCounter>());
        services.AddSingleton<ChatFlood>();
        services.AddSingleton<ChatTypingFlood>();
        services.AddSingleton<ResidentConnections>();
        services.AddSingleton<HubConnectionBinding>();
        services.AddSingleton<ChatLinesFlood>();
        services.AddSingleton<ChatStatusFlood>();
        services.AddSingleton<IdentifyMethodsFlood>();
        services.AddSingleton<AgentTypingFlood>();
        services.AddSingleton<AgentReadsFlood>();
        services.AddSingleton<AgentRelease>();
        services.AddExceptionHandler<AgentGone>();
        services.AddHttpClient<Identification>(client => client.Timeout = TimeSpan.FromSeconds(15));
        AddVideo(services);
        services.AddHostedService<DeskStartup>();
        Health.DeskHealthChecks.Add(services, options.Desk());
        if (options.Desk().SeedDemoAgents)
        {
            services.AddHostedService<DemoAgents>();
        }

        services.AddHostedService(sp => sp.GetRequiredService<RetentionService>());
        services.AddSingleton<AgentHubConnections>();
        services.AddHostedService(sp => sp.GetRequiredService<AgentHubConnections>());
        services.AddHttpClient<ExchangeClient>(client => client.Timeout = TimeSpan.FromSeconds(10));

        // Identity works on the database of the tenant in the URL; the cookie carries that tenant too.
        services.AddScoped(sp => sp.GetRequiredService<TenantDatabases>().Open(sp.GetRequiredService<IHttpContextAccessor>().HttpContext!.TenantTag()));
        services.AddIdentityCore<Agent>(ConfigureIdentity)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<DeskDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddTokenProvider<SingleUseAuthenticator>(TokenOptions.DefaultAuthenticatorProvider)
            .AddClaimsPrincipalFactory<AgentClaimsFactory>()
            .AddErrorDescriber<DutchIdentityErrors>();
        // Demo mode serves http://127.0.0.1; anywhere else cookies travel over https only.
        var secure = options.IsDemo ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        var authentication = services.AddAuthentication(IdentityConstants.ApplicationScheme);
        authentication.AddIdentityCookies(cookies =>
        {
            cookies.ApplicationCookie!.Configure(o => ConfigureCookie(o, secure));
            cookies.TwoFactorUserIdCookie!.Configure(o => o.Cookie.SecurePolicy = secure);
        });
        OidcSignIn.AddSchemes(authentication, options, secure);
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            // A deleted account or a revoked role reaches open sessions within this interval; a changed stamp (sign-out, reset) at once (SessionStamp).
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            // The rebuilt principal keeps how the agent signed in (the identity provider skips the desk's own password steps).
            o.OnRefreshingPrincipal = context =>
            {
                if (context.CurrentPrincipal?.FindFirst(System.Security.Claims.ClaimTypes.AuthenticationMethod) is { } method
                    && context.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity && !identity.HasClaim(method.Type, method.Value))
                {
                    identity.AddClaim(new System.Security.Claims.Claim(method.Type, method.Value));
                }

                return Task.CompletedTask;
            };
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        services.AddAgentAuthorization();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "idcontact.af";
            // Framing is governed by CSP frame-ancestors (DeskPageHeaders), which knows the embedding origins.
            o.SuppressXFrameOptionsHeader = true;
            o.Cookie.SecurePolicy = secure;
        });

        if (options.Desk().ExchangeSimulator)
        {
            services.AddSingleton<SimulatedExchange>();
            services.AddHttpClient(SimulatorEndpoints.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        }

        // The agents' hubs check the account on every call, as the pages do, and every Desk:HubRecheckSeconds (AgentHubAccess).
        var signalR = services.AddSignalR(o => o.AddFilter<AgentHubAccess>());
        services.AddSingleton<Backplane>();
        if (!string.IsNullOrEmpty(options.Desk().Redis))
        {
            // Fail fast while Redis is down (no command queued until its timeout, holding up the hub call or request
            // that pushed), and deliver to this instance's pages meanwhile (BackplaneFallback).
            signalR.AddStackExchangeRedis(options.Desk().Redis!, o =>
            {
                o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal(RedisNames.Prefix(options.Desk().Redis!));
                o.Configuration.BacklogPolicy = StackExchange.Redis.BacklogPolicy.FailFast;
            });
            services.AddOptions<Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisOptions>()
                .Configure<Backplane>((o, backplane) => o.ConnectionFactory = log => backplane.ConnectAsync(o.Configuration, log));
            services.AddSingleton(typeof(Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisHubLifetimeManager<>));
            services.Replace(ServiceDescriptor.Singleton(typeof(HubLifetimeManager<>), typeof(BackplaneFallback<>)));
        }
    }

    private static void AddVideo(IServiceCollection services)
    {
        services.AddSingleton<AppointmentStore>();
        services.AddSingleton<PlanFormIds>();
        services.AddSingleton<AppointmentList>();
        services.AddSingleton<WaitingRoom>();
        services.AddSingleton<CallLease>();
        services.AddSingleton<VideoQueue>();
        services.AddSingleton<AppointmentCancellation>();
        services.AddSingleton<AppointmentNotifier>();
        services.AddSingleton<MailSender>();
        services.AddSingleton<IMailTransport>(sp => sp.GetRequiredService<MailSender>());
        services.AddSingleton<MailOutbox>();
        services.AddHostedService(sp => sp.GetRequiredService<MailOutbox>());
        services.AddSingleton<IceServers>();
        services.AddSingleton<VideoFlood>();
        services.AddSingleton<VideoReadyFlood>();
        services.AddSingleton<VideoHelloFlood>();
        services.AddSingleton<VideoWaitingFlood>();
        services.AddSingleton<VideoMediaFlood>();
        services.AddSingleton<VideoCall>();
    }

    /// <summary>Password and lockout policy of agent accounts, shared with the CLI.</summary>
    public static void ConfigureIdentity(IdentityOptions o)
    {
        // Length over composition rules (NIST SP 800-63B).
        o.Password.RequiredLength = 12;
        o.Password.RequireNonAlphanumeric = false;
        o.Password.RequireUppercase = false;
        o.Password.RequireLowercase = false;
        o.Password.RequireDigit = false;
        o.Lockout.MaxFailedAccessAttempts = 5;
        o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        o.Lockout.AllowedForNewUsers = true;
    }

    public void UseMiddleware(IApplicationBuilder app) =>
        app.UseDeskLanguage().UseAuthentication().UseAuthorization().UseHubConnectionBinding().UseAntiforgery();

    // Before the rate limiter: a limited resident or agent page still is never cached, sends no referrer, is not framed,
    // and a 429 tells the browser to use https only as every other answer does.
    public void UseResponseHeaders(IApplicationBuilder app)
    {
        // Outside demo mode browsers are told to use https only (HSTS is sent on https responses only; after the
        // forwarded headers, which give the scheme the proxy saw).
        if (!app.ApplicationServices.GetRequiredService<IOptions<IdContactOptions>>().Value.IsDemo)
        {
            app.UseHsts();
        }

        app.UseDeskPageHeaders();
    }

    public void MapEndpoints(IEndpointRouteBuilder app, IdContactOptions options)
    {
        if (options.Desk().ExchangeSimulator)
        {
            app.MapExchangeSimulator();
        }

        app.MapPhone();
        app.MapWebCode();
        app.MapChat();
        app.MapAgentChat();
        app.MapVideo();
        app.MapAgentVideo();
        app.MapAppointmentPages();
        app.MapExchange();
        app.MapAgentPages();
        app.MapPasswordPage();
        app.MapOidcSignIn();
        app.MapTwoFactor();
        app.MapAdminPages();
    }

    private static Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        return Task.CompletedTask;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions o, CookieSecurePolicy secure)
    {
        o.Cookie.Name = "idcontact.desk";
        o.Cookie.SecurePolicy = secure;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.ExpireTimeSpan = TimeSpan.FromHours(10);
        o.SlidingExpiration = true;
        // A cookie presented under another tenant's URL is refused before anything opens that tenant's database.
        o.Events.OnValidatePrincipal = context =>
            context.Principal?.FindFirst(AgentAuthorization.TenantClaim)?.Value == context.HttpContext.TenantTag()
                ? SessionStamp.ValidateAsync(context)
                : RejectAsync(context);

        // The cookie only travels to its own tenant's desk pages: other tenants and shared assets never see it.
        o.CookieManager = new DeskCookiePath();
        o.Events.OnRedirectToLogin = context =>
        {
            // A made-up tenant never gets here (UnknownTenants answers 404 before authentication runs).
            var tenant = context.HttpContext.TenantTag();
            if (HttpMethods.IsGet(context.Request.Method) && !IsLiveFragment(context.Request.Path.Value!))
            {
                var returnUrl = Uri.EscapeDataString(context.Request.Path + context.Request.QueryString);
                var ended = SessionStamp.EndedElsewhere(context.HttpContext) ? "&ended=1" : "";
                context.Response.Redirect($"/{tenant}/desk/login?returnUrl={returnUrl}{ended}");
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            }

            return Task.CompletedTask;
        };
        o.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            // A browser opening a page of another role gets a page with its menu; fetches and posts keep the bare 403.
            return HttpMethods.IsGet(context.Request.Method) && AsksForPage(context.Request)
                ? NoAccess(context.HttpContext).ExecuteAsync(context.HttpContext)
                : Task.CompletedTask;
        };
    }

    /// <summary>
    /// The pieces the live pages fetch (the overview's contacts, the lists of Afspraken and Bezetting, a chat's or video
    /// call's data panel): without a session they answer 401, so the page reloads to the sign-in page; a redirect would
    /// be followed by the fetch and put the sign-in page inside the list.
    /// </summary>
    private static bool IsLiveFragment(string path) =>
        path.EndsWith("/contacts", StringComparison.Ordinal) || path.EndsWith("/list", StringComparison.Ordinal)
        || path.EndsWith("/details", StringComparison.Ordinal);

    private static bool AsksForPage(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    private static RazorComponentResult<NoAccessPage> NoAccess(HttpContext http) =>
        new(new { DeskPages.For(http).Brand, English = http.PrefersEnglish() }) { StatusCode = StatusCodes.Status403Forbidden };
}
