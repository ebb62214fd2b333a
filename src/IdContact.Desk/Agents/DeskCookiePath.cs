using IdContact.Hosting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;

namespace IdContact.Desk.Agents;

/// <summary>
/// Writes the agent's sign-in cookie under its own tenant's desk path (<c>/{tenant}/desk</c>) every time: at sign-in, at
/// a renewal (sliding expiry, security stamp check) and at sign-out, so it never travels to other tenants or to shared
/// assets. The cookie handler's events see sign-in and sign-out only; a renewal would get the default path "/".
/// </summary>
public sealed class DeskCookiePath : ICookieManager
{
    private readonly ChunkingCookieManager _inner = new();

    public static string For(HttpContext http) => $"/{http.TenantTag()}/desk";

    public string? GetRequestCookie(HttpContext context, string key) => _inner.GetRequestCookie(context, key);

    public void AppendResponseCookie(HttpContext context, string key, string? value, CookieOptions options)
    {
        options.Path = For(context);
        _inner.AppendResponseCookie(context, key, value, options);
    }

    public void DeleteCookie(HttpContext context, string key, CookieOptions options)
    {
        options.Path = For(context);
        _inner.DeleteCookie(context, key, options);
    }
}
