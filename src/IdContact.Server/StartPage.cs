using IdContact.Desk;
using IdContact.Hosting;
using IdContact.Server.Pages;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IdContact.Server;

/// <summary>The demo start page at "/": pick a municipality, a purpose and methods, and walk a flow.</summary>
public static class StartPage
{
    public static void MapStartPage(this WebApplication app, IReadOnlyList<IRole> roles)
    {
        if (!roles.Contains("core"))
        {
            return;
        }

        app.MapGet("/", (HttpContext http, IOptions<IdContactOptions> options) =>
                new RazorComponentResult<DemoStartPage>(new
                {
                    Tenants = (IReadOnlyDictionary<string, TenantOptions>)options.Value.Tenants,
                    English = http.PrefersEnglish(),
                    DeskLinks = roles.Contains("desk") && options.Value.Desk().ExchangeSimulator,
                    DemoSiteUrl = options.Value.DemoSiteUrl,
                }))
            .ExcludeFromDescription();
    }
}
