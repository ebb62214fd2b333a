using System.Text.Json;
using IdContact.Core.Pages;
using IdContact.Core.Plugins;
using IdContact.Hosting;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Messages;
using IdContact.Protocol.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace IdContact.Core.Start;

/// <summary><c>POST /start</c> in its three forms, plus a form-encoded full start for pages without script.</summary>
public static class StartEndpoints
{
    public static void MapStart(this RouteGroupBuilder tenant)
    {
        tenant.MapPost("/start", HandleAsync)
            .RequireRateLimiting(RateLimits.Start)
            .WithName("Start")
            .WithSummary("Full start (JSON), comm-only start (JSON with auth_result) or auth-only start (application/jwt).")
            .DisableAntiforgery();
    }

    private static async Task<IResult> HandleAsync(HttpContext http, SessionStarter starter, TimeProvider time, PublicUrls urls)
    {
        var tenantTag = http.TenantTag();
        var tenant = http.Tenant();
        var ct = http.RequestAborted;
        try
        {
            var clientUrl = await DispatchAsync(http, starter, time, tenantTag, tenant, ct);
            return AcceptsJson(http.Request) ? Results.Ok(new ClientUrlResponse(clientUrl)) : new SeeOther(InPageLanguage(http, urls, clientUrl));
        }
        catch (StartException e) when (e.NotOffered)
        {
            // A page that offers a subject or method this tenant no longer has: the resident's way on, not a program's error.
            return Failed(http, e.Status, e.Title, e.Message);
        }
        catch (StartException e)
        {
            return Problems.Make(e.Status, e.Title, e.Message);
        }
        catch (PluginException e)
        {
            return Failed(http, e.Status, e.Title, e.Message);
        }
    }

    /// <summary>
    /// A problem for a program; for a browser's form post (a page without script) a page a resident can read. Only for
    /// what a real page can run into (a plugin that does not answer or refuses, an unknown subject or method): a malformed
    /// or oversized form comes from no page and stays a problem.
    /// </summary>
    private static IResult Failed(HttpContext http, int status, string title, string detail)
    {
        if (!http.Request.HasFormContentType || AcceptsJson(http.Request))
        {
            return Problems.Make(status, title, detail);
        }

        http.Response.Headers.CacheControl = "no-store";
        return new RazorComponentResult<StartFailedPage>(new
        {
            Municipality = http.Tenant().DisplayName,
            English = http.PrefersEnglish(),
            Unavailable = status >= StatusCodes.Status500InternalServerError,
        })
        { StatusCode = status };
    }

    /// <summary>
    /// A form page names its language in <c>?lang=</c>; like the widget, the redirect passes it on to our own pages only
    /// (another party's URL is left untouched), so the next page does not follow the browser's language instead.
    /// </summary>
    private static string InPageLanguage(HttpContext http, PublicUrls urls, string clientUrl)
    {
        var lang = http.Request.Query["lang"].ToString();
        var own = Uri.TryCreate(clientUrl, UriKind.Absolute, out var target) && Uri.TryCreate(urls.Base, UriKind.Absolute, out var self)
            && Uri.Compare(target, self, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
        return lang is "en" or "nl" && own && !clientUrl.Contains('#')
            ? LanguageExtensions.WithLanguage(clientUrl, lang == "en")
            : clientUrl;
    }

    private static async Task<string> DispatchAsync(HttpContext http, SessionStarter starter, TimeProvider time, string tenantTag, TenantOptions tenant, CancellationToken ct)
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        switch (mediaType)
        {
            case MediaTypes.Json:
                var request = ParseJson(await RequestBody.ReadTextAsync(http.Request, ct));
                return request.AuthResult is not null
                    ? await starter.CommOnlyAsync(tenantTag, tenant, request, ct)
                    : await starter.FullAsync(tenantTag, tenant, request, ct);
            case MediaTypes.Jwt:
                var jws = await RequestBody.ReadTextAsync(http.Request, ct);
                if (!AuthOnlyStartToken.TryVerify(jws, kid => StarterKey(tenant, kid), time.GetUtcNow(), out var authOnly, out var refusal))
                {
                    throw new StartException(StatusCodes.Status401Unauthorized, "Start request refused", refusal);
                }

                return await starter.AuthOnlyAsync(tenantTag, tenant, authOnly!, ct);
            case "application/x-www-form-urlencoded":
                var form = await FormBody.ReadAsync(http.Request, ct)
                    ?? throw new StartException(StatusCodes.Status400BadRequest, "Invalid request", "The form is malformed or larger than this server accepts.");
                return await starter.FullAsync(tenantTag, tenant, new StartRequest(form["purpose"], form["auth_method"], form["comm_method"]), ct);
            default:
                throw new StartException(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", "Send application/json (full or comm-only start) or application/jwt (auth-only start).");
        }
    }

    private static StartRequest ParseJson(string body)
    {
        StartRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<StartRequest>(body, NulCharacters.RefusingJson);
        }
        catch (JsonException)
        {
            throw new StartException(StatusCodes.Status400BadRequest, "Invalid request", "The body is not valid JSON of a start request.");
        }

        if (request is null || string.IsNullOrWhiteSpace(request.Purpose) || string.IsNullOrWhiteSpace(request.CommMethod))
        {
            throw new StartException(StatusCodes.Status400BadRequest, "Invalid request", "A start request needs 'purpose' and 'comm_method'.");
        }

        if (request.AuthResult is null && string.IsNullOrWhiteSpace(request.AuthMethod))
        {
            throw new StartException(StatusCodes.Status400BadRequest, "Invalid request", "A full start needs 'auth_method'; a comm-only start needs 'auth_result'.");
        }

        if (request.AuthResult is { Length: 0 or > AuthResultToken.MaxLength })
        {
            throw new StartException(StatusCodes.Status400BadRequest, "Invalid request", "'auth_result' must be a token.");
        }

        return request;
    }

    private static PublicKey? StarterKey(TenantOptions tenant, string kid)
    {
        // Keys were checked at start-up; loading here keeps rotated config simple.
        return tenant.StarterKeys.TryGetValue(kid, out var config) ? PublicKey.Load(config) : null;
    }

    private static bool AcceptsJson(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains(MediaTypes.Json, StringComparison.OrdinalIgnoreCase));
}
