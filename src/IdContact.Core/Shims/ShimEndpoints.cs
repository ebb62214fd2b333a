using IdContact.Core.Pages;
using IdContact.Core.Plugins;
using IdContact.Hosting;
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

        tenant.MapGet("/phone", (HttpContext http, StateTokens state, string? t) =>
            {
                // The page shows a live code: no cache may keep it, no link on it may leak its URL (the token), and no
                // other site may frame it to overlay or read off the code.
                http.Response.Headers.CacheControl = "no-store";
                http.Response.Headers["Referrer-Policy"] = "no-referrer";
                http.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'none'";
                http.Response.Headers.XContentTypeOptions = "nosniff";
                var tel = TelUrl.Parse(state.Read<TelShimState>("tel", t)?.TelUrl);
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
                });
            })
            .WithName("PhonePage")
            .WithSummary("Shows the number and code of a tel: continuation, with a QR code that dials both.");
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
