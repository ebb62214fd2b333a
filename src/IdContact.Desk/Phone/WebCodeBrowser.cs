using System.Security.Cryptography;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Phone;

/// <summary>
/// The caller's browser, for counting wrong web codes: a random id in a cookie of the tenant's web-code pages, protected by
/// Data Protection (its own purpose, per tenant). One guesser behind a shared address (a carrier's NAT, an office) spends
/// the small budget of their browser (<see cref="WebCodeOptions.WrongPerBrowserPerHour"/>), not every caller's there. A
/// post without a valid cookie is not checked at all, so dropping the cookie gives no way around that budget.
/// </summary>
public static class WebCodeBrowser
{
    public const string CookieName = "idcontact.webcode";

    private const string Purpose = "IdContact.Desk.WebCode.Browser";

    /// <summary>The browser id of this request's valid cookie, or null: none, tampered, or another tenant's.</summary>
    public static string? IdOf(HttpContext http)
    {
        if (http.Request.Cookies[CookieName] is not { Length: > 0 and <= 400 } value)
        {
            return null;
        }

        try
        {
            return Protector(http).Unprotect(value) is { Length: > 0 and <= 64 } id ? id : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// A request asked only in another language (<c>?lang=</c> and nothing else) by a browser with a valid id: a view of
    /// the code page mints no id, and the choice step's switch (a post of that browser's choice, <c>/id/choose</c>)
    /// checks no code, so their limits do not count it. The endpoints carrying it fix the method (GET, or that POST).
    /// </summary>
    public static bool OnlySwitchesLanguage(HttpContext http) =>
        http.Request.Query.Count == 1 && http.Request.Query.ContainsKey("lang") && IdOf(http) is not null;

    /// <summary>Gives a browser without a valid cookie a new id (the page view that mints it is what an id costs).</summary>
    public static void Ensure(HttpContext http)
    {
        if (IdOf(http) is not null)
        {
            return;
        }

        http.Response.Cookies.Append(CookieName, Protector(http).Protect(Secrets.NewId()), new CookieOptions
        {
            Path = $"/{http.TenantTag()}/id",
            HttpOnly = true,
            // As the desk's cookies: https only, except for the demo on http://127.0.0.1 (a proxy whose scheme is not
            // trusted, TrustedProxies unset, would otherwise get it sent in the clear).
            Secure = http.Request.IsHttps || !http.RequestServices.GetRequiredService<IOptions<IdContactOptions>>().Value.IsDemo,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
        });
    }

    private static IDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose, http.TenantTag());
}
