using Microsoft.AspNetCore.Http;

namespace IdContact.Hosting;

/// <summary>
/// Dutch first: English only when asked for with ?lang=en, when chosen earlier (the <see cref="CookieName"/> cookie), or
/// when the browser prefers it over Dutch.
/// </summary>
public static class LanguageExtensions
{
    /// <summary>
    /// The language a staff member chose, "nl" or "en". The desk writes it under its own path only (/{tenant}/desk), so
    /// resident pages never receive it.
    /// </summary>
    public const string CookieName = "idcontact.lang";

    /// <summary>The value our pages take as <c>?lang=</c>, so a link keeps the language the resident is reading.</summary>
    public static string LanguageTag(bool english) => english ? "en" : "nl";

    /// <summary>
    /// A resident page's address with the language shown, Dutch as well as English: a form post or redirect then keeps
    /// the chosen language even on a browser that prefers the other.
    /// </summary>
    public static string WithLanguage(string path, bool english) => path + (path.Contains('?') ? "&lang=" : "?lang=") + LanguageTag(english);

    public static bool PrefersEnglish(this HttpContext http)
    {
        var lang = http.Request.Query["lang"].ToString();
        if (lang.Length > 0)
        {
            return lang.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        }

        // Anything but the two values we write is ignored.
        var chosen = http.Request.Cookies[CookieName];
        if (chosen is "en" or "nl")
        {
            return chosen == "en";
        }

        var accept = http.Request.Headers.AcceptLanguage.ToString();
        var en = accept.IndexOf("en", StringComparison.OrdinalIgnoreCase);
        var nl = accept.IndexOf("nl", StringComparison.OrdinalIgnoreCase);
        return en >= 0 && (nl < 0 || en < nl);
    }
}
