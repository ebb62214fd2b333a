using IdContact.Core.Pages;
using IdContact.Core.Plugins;
using IdContact.Core.Widget;
using IdContact.Hosting;
using IdContact.Protocol.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace IdContact.Core.Shims;

/// <summary>Compatibility shims (C5): attr_url for redirect-only auth plugins, and the phone page for tel: continuations.</summary>
public static class ShimEndpoints
{
    public static void MapShims(this RouteGroupBuilder tenant)
    {
        tenant.MapGet("/auth_attr_shim/{state}", DeliverAsync)
            .WithName("AuthAttrShim")
            .WithSummary("Receives ?result= from an auth plugin, posts it to the real attr_url and redirects on.");

        tenant.MapGet("/phone", PhonePage)
            .WithName("PhonePage")
            .WithSummary("Shows the number and code of a tel: continuation, with a QR code that dials both.");
        tenant.MapGet("/phone/status", PhoneStatusAsync)
            .RequireRateLimiting(RateLimits.PhoneStatus)
            .WithName("PhonePageStatus")
            .WithSummary("The state of the phone page's session (waiting, identified, expired, ended), for the page's script.");
        tenant.MapEmbeddedScript("/phone.js", "phone.js");
    }

    private static IResult PhonePage(HttpContext http, StateTokens state, string? t)
    {
        // The page shows a live code: no cache may keep it, no link on it may leak its URL (the token), and no
        // other site may frame it to overlay or read off the code.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'none'";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        var shim = state.Read<TelShimState>("tel", t)?.For(http.TenantTag());
        var tel = TelUrl.Parse(shim?.TelUrl);
        if (tel is null)
        {
            return Problems.BadRequest("Invalid link", "This phone link is invalid or has expired.");
        }

        return new RazorComponentResult<PhonePage>(new
        {
            Tel = tel,
            QrDataUri = QrCodes.PngDataUri(tel.Uri),
            Municipality = http.Tenant().DisplayName,
            English = http.PrefersEnglish(),
            // Relative to the page: the same token is the status's key, so the page reads no other session's state.
            StatusUrl = shim!.AttrUrl is null ? null : "phone/status?t=" + Uri.EscapeDataString(t!),
        });
    }

    /// <summary>
    /// The phone page's session state, asked of the comm plugin at the attr_url the signed token names (with the comm
    /// method's key): only the state, never an attribute. A token without it, forged or expired is 404.
    /// </summary>
    private static async Task<IResult> PhoneStatusAsync(HttpContext http, StateTokens state, PluginClient plugins, string? t)
    {
        http.Response.Headers.CacheControl = "no-store";
        var shim = state.Read<TelShimState>("tel", t)?.For(http.TenantTag());
        var comm = shim?.AttrUrl is null ? null : http.Tenant().CommMethods.FirstOrDefault(c => c.Tag == shim.Comm);
        try
        {
            // 404 also when the plugin has no state to give: the page then stops asking and keeps showing its code.
            return comm is not null && await plugins.PhoneStatusAsync(shim!.AttrUrl!, comm.ApiKey, http.RequestAborted) is { } known
                ? Results.Ok(new PhoneStatus(known))
                : Problems.NotFound("No state to follow", "This phone link is invalid or has expired, or its session has no state to follow.");
        }
        catch (PluginException e)
        {
            return Problems.Make(e.Status, e.Title, e.Message);
        }
    }

    private static async Task<IResult> DeliverAsync(string state, string? result, StateTokens tokens, PluginClient plugins, HttpContext http)
    {
        var shim = tokens.Read<AttrShimState>("attr", state);
        if (shim is null)
        {
            return Problems.BadRequest("Invalid link", "The shim state is invalid or has expired.");
        }

        if (string.IsNullOrEmpty(result) || result.Length > Protocol.Tokens.AuthResultToken.MaxLength)
        {
            return Problems.BadRequest("Missing result", "The auth plugin returned no result token.");
        }

        try
        {
            await plugins.DeliverResultAsync(shim.AttrUrl, result, http.RequestAborted);
        }
        catch (PluginException e)
        {
            return Problems.Make(e.Status, e.Title, e.Message);
        }

        return new SeeOther(shim.Continuation);
    }
}
