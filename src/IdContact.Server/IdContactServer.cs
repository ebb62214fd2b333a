using System.Text.Encodings.Web;
using System.Text.Unicode;
using IdContact.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace IdContact.Server;

/// <summary>Composes one process from the configured roles. Tests build it the same way Program does.</summary>
public static class IdContactServer
{
    /// <param name="configureLogging">Lets a host (a test) add its own log sink before the app is built.</param>
    /// <param name="knownRoles">The roles this server knows; <see cref="ServerRoles.Create"/> unless a test adds one.</param>
    public static WebApplication Build(string[] args, Action<ILoggingBuilder>? configureLogging = null, IReadOnlyList<IRole>? knownRoles = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        configureLogging?.Invoke(builder.Logging);
        CapabilityUrlsStayOutOfLogs(builder.Logging);
        var started = false;
        StartFailureSaidOnce(builder.Logging, () => started);
        var file = ServerConfiguration.AddSources(builder.Configuration, args);
        var defaultUrls = string.IsNullOrEmpty(builder.Configuration["urls"]);
        if (defaultUrls)
        {
            builder.Configuration["urls"] = ServerConfiguration.DefaultUrl;
            // The embedded demo (no address, no municipalities given) also shows a municipal site on its own origin.
            if (!builder.Configuration.GetSection("Tenants").Exists() && string.IsNullOrEmpty(builder.Configuration["DemoSiteUrl"]))
            {
                builder.Configuration["DemoSiteUrl"] = DemoSite.DefaultUrl;
            }
        }

        var known = knownRoles ?? ServerRoles.Create();
        var publicUrlGiven = !string.IsNullOrEmpty(builder.Configuration["PublicUrl"]);
        var options = ServerConfiguration.Load(builder.Configuration, known);
        if (!string.IsNullOrEmpty(options.DemoSiteUrl))
        {
            builder.WebHost.UseUrls(builder.Configuration["urls"] + ";" + options.DemoSiteUrl);
        }
        else if (defaultUrls)
        {
            builder.WebHost.UseUrls(ServerConfiguration.DefaultUrl);
        }

        var roles = RoleSet.Active(options, known, out _);

        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.AddSingleton<PublicUrls>();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<StoreUnavailable>();
        builder.Services.AddExceptionHandler<PlainHttpRefused>();
        builder.Services.AddIdContactRateLimits(options, [.. roles.Select(r => r.CoreKey(options)).OfType<string>().Where(k => k.Length > 0)]);
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks();
        builder.Services.AddIdContactMetrics(options.Metrics.Enabled == true);
        // Keys for protected page state live with the data, so restarts and sibling instances can read them.
        var keyRing = builder.Services.AddDataProtection()
            .SetApplicationName("IdContact")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDirectory, "dataprotection")));
        if (options.DataProtection.IsSet)
        {
            // Validated before the host is built (ConfigValidator), so both load here.
            var current = options.DataProtection.Load("DataProtection").Certificate!;
            keyRing.ProtectKeysWithCertificate(current)
                .UnprotectKeysWithAnyCertificate([current, .. options.DataProtection.Previous.Select(p => p.Load("").Certificate!)]);
        }
        builder.Services.AddRazorComponents();
        // Every hub of every role: a NUL argument finds nothing (NulCharacters).
        builder.Services.Configure<HubOptions>(o => o.AddFilter(new NulHubArguments()));
        // HttpClient's request logs name full URLs (capabilities) and are held at Warning anyway; without the logging
        // handlers, every plugin, exchange and IRMA call skips their scopes (metrics still count the calls).
        builder.Services.ConfigureHttpClientDefaults(client => client.RemoveAllLoggers());
        // Dutch text (é, ë) stays readable in page source; markup characters are still escaped.
        builder.Services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 1024 * 1024;
            // No "Server: Kestrel" for scanners to match against known flaws (the proxy hides its own: server_tokens off).
            k.AddServerHeader = false;
        });
        foreach (var role in roles)
        {
            role.AddServices(builder.Services, options);
        }

        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(() => started = true);
        if (!publicUrlGiven && !options.IsDemo)
        {
            // config check refuses this; a server started anyway says where its links will point.
            app.Logger.LogWarning("PublicUrl is not set: every link this server hands out points at {PublicUrl}, its first --urls address", options.PublicUrl);
        }

        // config check refuses these; a running installation is not stopped by an upgrade that renamed a setting.
        if (file is not null)
        {
            foreach (var unknown in UnknownSettings.Find(file, known))
            {
                app.Logger.LogWarning("Ignored: {Setting}", unknown);
            }
        }

        // config check refuses these too; the server still starts (another instance may hold the other half of a key
        // change), but the operator learns why every Yivi result would be refused.
        foreach (var mismatch in ResultKeyChecks.Problems(options))
        {
            app.Logger.LogWarning("Keys that do not belong together: {Problem}", mismatch);
        }

        app.UseIdContactForwardedHeaders(options);
        foreach (var role in roles)
        {
            role.UseResponseHeaders(app);
        }

        app.UseHeadersOnProblems();
        app.UseIdContactRateLimits();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDemoSite(options);
        app.UseUnknownTenantsNotFound();
        app.UseNulRefusal();
        foreach (var role in roles)
        {
            role.UseMiddleware(app);
        }

        app.MapStartPage(roles);
        app.MapStyles(); // /assets/idcontact.css and /{tenant}/assets/brand.css, whatever roles run
        foreach (var role in roles)
        {
            role.MapEndpoints(app, options);
        }

        // /openapi/v1.json: the protocol and exchange endpoints as served. Any other name is a 404 problem (the framework's
        // own answer would quote the name back in plain text).
        app.MapOpenApi().AddEndpointFilter((context, next) =>
            context.HttpContext.GetRouteValue("documentName") as string == "v1"
                ? next(context)
                : ValueTask.FromResult<object?>(Problems.NotFound("Unknown document", "The OpenAPI document of this server is /openapi/v1.json.")));
        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).ExcludeFromDescription();
        app.MapHealth();
        app.MapMetrics(options.Metrics.Enabled == true);
        return app;
    }

    /// <summary>
    /// A start that fails (a port in use, a certificate that does not load, a database that refuses) ends in Program's
    /// one line; the host logs the same failure before it, with the framework's stack. Until the server has started, the
    /// host's errors are left to that line (IDCONTACT_DEBUG=1 shows them, and Program the stack); later ones are logged.
    /// </summary>
    private static void StartFailureSaidOnce(ILoggingBuilder logging, Func<bool> started)
    {
        if (Environment.GetEnvironmentVariable("IDCONTACT_DEBUG") is { Length: > 0 })
        {
            return;
        }

        // A category's own rule replaces the default level, so the Information floor is restated here.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => level >= LogLevel.Information && (level < LogLevel.Error || started()));
    }

    /// <summary>
    /// These framework categories write full request and redirect URLs below Warning; ours carry capabilities (attr_url
    /// with its session id, ?result= tokens, page links). SignalR's write hub arguments (chat lines, a video call's
    /// session descriptions and ICE candidates) and connection URLs. However verbose an operator sets logging, they stay at Warning.
    /// </summary>
    private static void CapabilityUrlsStayOutOfLogs(ILoggingBuilder logging)
    {
        foreach (var category in new[]
        {
            "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Http.Result", "System.Net.Http.HttpClient",
            "Microsoft.AspNetCore.SignalR", "Microsoft.AspNetCore.Http.Connections",
            // The OpenID Connect handler traces the callback URL (code and state) and the provider's messages.
            "Microsoft.AspNetCore.Authentication.OpenIdConnect",
        })
        {
            logging.AddFilter(category, LogLevel.Warning);
        }
    }
}
