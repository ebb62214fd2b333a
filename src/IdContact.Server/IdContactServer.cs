using IdContact.Auth.Irma;
using IdContact.Auth.Test;
using IdContact.Comm.Test;
using IdContact.Core;
using IdContact.Desk;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using IdContact.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace IdContact.Server;

/// <summary>Composes one process from the configured roles. Tests build it the same way Program does.</summary>
public static class IdContactServer
{
    /// <param name="configureLogging">Lets a host (a test) add its own log sink before the app is built.</param>
    public static WebApplication Build(string[] args, Action<ILoggingBuilder>? configureLogging = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        configureLogging?.Invoke(builder.Logging);
        CapabilityUrlsStayOutOfLogs(builder.Logging);
        ServerConfiguration.AddSources(builder.Configuration, args);
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

        var options = ServerConfiguration.Load(builder.Configuration);
        if (!string.IsNullOrEmpty(options.DemoSiteUrl))
        {
            builder.WebHost.UseUrls(builder.Configuration["urls"] + ";" + options.DemoSiteUrl);
            var origin = options.DemoSiteUrl.TrimEnd('/');
            if (!options.Core.AllowedOrigins.Contains(origin))
            {
                options.Core.AllowedOrigins.Add(origin);
            }
        }
        else if (defaultUrls)
        {
            builder.WebHost.UseUrls(ServerConfiguration.DefaultUrl);
        }

        var roles = Roles.Active(options, out _);

        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.AddSingleton<PublicUrls>();
        builder.Services.AddProblemDetails();
        builder.Services.AddIdContactRateLimits(options);
        builder.Services.AddOpenApi();
        // Keys for protected page state live with the data, so restarts and sibling instances can read them.
        builder.Services.AddDataProtection()
            .SetApplicationName("IdContact")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDirectory, "dataprotection")));
        builder.Services.AddRazorComponents();
        // Dutch text (é, ë) stays readable in page source; markup characters are still escaped.
        builder.Services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);

        if (roles.Contains(Roles.Core))
        {
            builder.Services.AddCore(options);
        }

        if (roles.Contains(Roles.AuthTest))
        {
            builder.Services.AddAuthTest();
        }

        if (roles.Contains(Roles.AuthIrma))
        {
            builder.Services.AddAuthIrma(options);
        }

        if (roles.Contains(Roles.CommTest))
        {
            builder.Services.AddCommTest();
        }

        if (roles.Contains(Roles.Desk))
        {
            builder.Services.AddDesk(options);
        }

        var app = builder.Build();
        app.UseIdContactRateLimits(options);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDemoSite(options);
        if (roles.Contains(Roles.Core))
        {
            app.UseCore();
        }

        if (roles.Contains(Roles.Desk))
        {
            app.UseDesk();
        }

        app.MapStartPage(roles);
        app.MapStyles(); // /assets/idcontact.css and /{tenant}/assets/brand.css, whatever roles run
        if (roles.Contains(Roles.Core))
        {
            app.MapCore();
        }

        if (roles.Contains(Roles.AuthTest))
        {
            app.MapAuthTest();
        }

        if (roles.Contains(Roles.AuthIrma))
        {
            app.MapAuthIrma();
        }

        if (roles.Contains(Roles.CommTest))
        {
            app.MapCommTest();
        }

        if (roles.Contains(Roles.Desk))
        {
            app.MapDesk(options);
        }

        app.MapOpenApi(); // /openapi/v1.json: the protocol and exchange endpoints as served
        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// These framework categories write full request and redirect URLs below Warning; ours carry capabilities (attr_url
    /// with its session id, ?result= tokens, page links). However verbose an operator sets logging, they stay at Warning.
    /// </summary>
    private static void CapabilityUrlsStayOutOfLogs(ILoggingBuilder logging)
    {
        foreach (var category in new[] { "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Http.Result", "System.Net.Http.HttpClient" })
        {
            logging.AddFilter(category, LogLevel.Warning);
        }
    }
}
