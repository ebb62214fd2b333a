using System.Text.Json;
using IdContact.Auth.Irma.Assets;
using IdContact.Auth.Irma.Irma;
using IdContact.Auth.Irma.Pages;
using IdContact.Hosting;
using IdContact.Hosting.AuthPlugins;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace IdContact.Auth.Irma.Session;

/// <summary>The resident's page with the QR code, and the status call its script polls.</summary>
public static class SessionPageEndpoints
{
    public static void MapSessionPage(this RouteGroupBuilder group)
    {
        group.MapGet("/session", Show)
            .WithName("AuthIrmaPage")
            .WithSummary("The page with the QR code and the Yivi app link for this disclosure session.");

        group.MapGet("/session/status", StatusAsync)
            .WithName("AuthIrmaStatus")
            .WithSummary("The IRMA session's status, for the page's script: {status, finished}.");
    }

    private static IResult Show(HttpContext http, IrmaSessionLinks links, Outcomes outcomes, IOptions<IdContactOptions> options, string? s, string? pending)
    {
        var english = http.PrefersEnglish();
        PageHeaders.Private(http);
        var state = links.Read(http.TenantTag(), s);
        if (state is null)
        {
            return Messages.InvalidLink(http, english);
        }

        // Back or a reload after the end: say how it ended rather than show a QR code nobody can use any more.
        if (outcomes.IfFinished(http, english, state) is { } finished)
        {
            return finished;
        }

        var lang = "&lang=" + LanguageExtensions.LanguageTag(english);
        var query = "?s=" + s + lang;
        var pointer = JsonSerializer.Serialize(state.Pointer);
        // Relative to this page, so every link stays on the host the resident is on.
        var pagePath = http.Request.PathBase + http.Request.Path + query;
        return new RazorComponentResult<IrmaPage>(new
        {
            Municipality = http.Tenant().DisplayName,
            English = english,
            Requested = (IReadOnlyList<string>)[.. state.Attributes.Select(t => AttributeLabels.Plain(t, english))],
            QrDataUri = QrCodes.PngDataUri(pointer, 6),
            AppLink = "https://irma.app/-/session#" + Uri.EscapeDataString(pointer),
            FakeScanUrl = options.Value.AuthIrma().UseFakeServer ? state.Pointer.Url + "?back=" + Uri.EscapeDataString(pagePath) + lang : null,
            StatusUrl = "session/status" + query,
            FinishUrl = "session/finish" + query,
            CancelAction = "session/cancel?lang=" + LanguageExtensions.LanguageTag(english),
            Session = s!,
            Pending = pending == "1",
            AssetBase = PageAssets.BaseFor(http),
        });
    }

    private static async Task<IResult> StatusAsync(HttpContext http, IrmaSessionLinks links, IrmaClient irma, string? s)
    {
        PageHeaders.Private(http);
        var state = links.Read(http.TenantTag(), s);
        if (state is null)
        {
            return Problems.BadRequest("Invalid link", "The session link is missing, expired or not valid.");
        }

        try
        {
            var status = await irma.StatusAsync(state.IrmaToken, http.RequestAborted);
            return Results.Json(new { status, finished = SessionStatus.IsFinished(status) });
        }
        catch (IrmaServerException e)
        {
            return e.ToProblem();
        }
    }
}
