using IdContact.Hosting;
using IdContact.Server.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IdContact.Server;

/// <summary>
/// The demo municipal website (W1): served only on the <c>DemoSiteUrl</c> port, a different origin from the core,
/// so the widget runs cross-origin exactly as on a real municipality's site. Nothing else is served there.
/// </summary>
public static class DemoSite
{
    public const string DefaultUrl = "http://127.0.0.1:5081";

    public static void UseDemoSite(this WebApplication app, IdContactOptions options)
    {
        if (string.IsNullOrEmpty(options.DemoSiteUrl))
        {
            return;
        }

        var port = new Uri(options.DemoSiteUrl).Port;
        var urls = app.Services.GetRequiredService<PublicUrls>();
        // Ahead of routing's endpoints: on this port the core's routes must not answer.
        app.Use(async (http, next) =>
        {
            if (http.Connection.LocalPort != port)
            {
                await next(http);
                return;
            }

            await Page(http, options, urls).ExecuteAsync(http);
        });
    }

    private static IResult Page(HttpContext http, IdContactOptions options, PublicUrls urls)
    {
        var segments = http.Request.Path.Value?.Trim('/') ?? "";
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            return Results.StatusCode(StatusCodes.Status405MethodNotAllowed);
        }

        if (segments.Length == 0)
        {
            // One municipality's site per path; the first is where a visitor lands.
            return Results.Redirect("/" + options.Tenants.Keys.First());
        }

        if (segments.Contains('/') || !options.Tenants.TryGetValue(segments, out var tenant))
        {
            return Results.NotFound();
        }

        return new RazorComponentResult<DemoMunicipalPage>(new
        {
            Municipality = tenant.DisplayName,
            Purposes = (IReadOnlyList<PurposeOptions>)tenant.Purposes,
            WidgetUrl = urls.Tenant(segments.ToLowerInvariant(), "/widget.js"),
            English = http.PrefersEnglish(),
        });
    }
}
