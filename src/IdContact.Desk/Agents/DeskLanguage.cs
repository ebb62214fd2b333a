using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Agents;

/// <summary>
/// A staff member's language choice sticks: a desk page requested with <c>?lang=nl</c> or <c>?lang=en</c> (the header's
/// switch) writes it to the <see cref="LanguageExtensions.CookieName"/> cookie under the tenant's desk path, which
/// <see cref="LanguageExtensions.PrefersEnglish"/> reads when a form post, redirect or link carries no <c>?lang</c>.
/// The sign-in page counts too, so the choice holds from before sign-in. The cookie holds "nl" or "en", nothing personal.
/// </summary>
/// <remarks>
/// ASP.NET Core's request localization (CookieRequestCultureProvider) would set the thread cultures of every request
/// and use its own cookie format, while the pages choose their text with one flag; this keeps that flag's source.
/// </remarks>
public static class DeskLanguage
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    public static IApplicationBuilder UseDeskLanguage(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var options = http.RequestServices.GetRequiredService<IOptions<IdContactOptions>>().Value;
        if (Chosen(http) is { } lang && DeskPath(http, options) is { } path)
        {
            http.Response.Cookies.Append(LanguageExtensions.CookieName, lang, new CookieOptions
            {
                Path = path,
                HttpOnly = true,
                // As the sign-in cookie: https only, except for the demo on http://127.0.0.1.
                Secure = http.Request.IsHttps || !options.IsDemo,
                SameSite = SameSiteMode.Lax,
                MaxAge = Lifetime,
            });
        }

        return next(http);
    });

    /// <summary>"nl" or "en" from the query; any other value is not remembered.</summary>
    private static string? Chosen(HttpContext http) => http.Request.Query["lang"].ToString().ToLowerInvariant() switch
    {
        "nl" => "nl",
        "en" => "en",
        _ => null,
    };

    /// <summary><c>/{tenant}/desk</c> for a request under a configured tenant's desk pages, else null.</summary>
    private static string? DeskPath(HttpContext http, IdContactOptions options)
    {
        var segments = http.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (segments.Length < 2 || segments[1] != "desk")
        {
            return null;
        }

        // Lower case, as the desk's own links and the sign-in cookie's path (DeskCookiePath) write the tenant.
        return options.Tenants.ContainsKey(segments[0]) ? $"/{segments[0].ToLowerInvariant()}/desk" : null;
    }
}
