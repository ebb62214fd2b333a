using System.Security.Cryptography;
using System.Text.Json;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Admin;

/// <summary>
/// Post/Redirect/Get for the admin page: an action's result (and a new one-time password) travels to the following GET in
/// a short-lived cookie protected by Data Protection (its own purpose, per tenant and administrator; the key ring is
/// shared, so any instance reads it), shown once and then cleared. A reload of the result page repeats nothing, and the
/// password is never in a URL or a log.
/// </summary>
public static class AdminResult
{
    public const string CookieName = "idcontact.admin-result";

    private const string Purpose = "IdContact.Desk.Admin.Result";

    /// <summary>Long enough for the redirect to be followed; a result not shown by then is dropped.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    public sealed record Shown(string Notice, string? Password);

    /// <summary>Keeps the result for the next GET and answers 303 to the admin page.</summary>
    public static IResult Redirect(HttpContext http, string notice, string? password = null)
    {
        var value = Protector(http).Protect(JsonSerializer.Serialize(new Shown(notice, password)), Lifetime);
        http.Response.Cookies.Append(CookieName, value, Options(http, Lifetime));
        // No ?lang: the staff pages' language is remembered (cookie idcontact.lang) or the browser's, as for the post.
        return new SeeOther(Path(http));
    }

    /// <summary>The result kept for this page view, or null; it is cleared, so it is shown only once.</summary>
    public static Shown? Take(HttpContext http)
    {
        if (http.Request.Cookies[CookieName] is not { Length: > 0 } value)
        {
            return null;
        }

        http.Response.Cookies.Delete(CookieName, Options(http, null));
        try
        {
            return JsonSerializer.Deserialize<Shown>(Protector(http).Unprotect(value));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            // Expired, tampered, or another administrator's: nothing to show.
            return null;
        }
    }

    private static string Path(HttpContext http) => $"/{http.TenantTag()}/desk/admin";

    private static CookieOptions Options(HttpContext http, TimeSpan? lifetime) => new()
    {
        Path = Path(http),
        HttpOnly = true,
        // As the desk's other cookies: https only, except for the demo on http://127.0.0.1.
        Secure = http.Request.IsHttps || !http.RequestServices.GetRequiredService<IOptions<IdContactOptions>>().Value.IsDemo,
        SameSite = SameSiteMode.Strict,
        IsEssential = true,
        MaxAge = lifetime,
    };

    private static ITimeLimitedDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>()
            .CreateProtector(Purpose, http.TenantTag(), http.RequestServices.GetRequiredService<UserManager<Agents.Agent>>().GetUserId(http.User) ?? "")
            .ToTimeLimitedDataProtector();
}
