using IdContact.Auth.Irma.Irma;
using IdContact.Hosting;
using IdContact.Hosting.AuthPlugins;
using IdContact.Protocol.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace IdContact.Auth.Irma.Session;

/// <summary>Ends a session: fetches and checks the IRMA result (or cancels), issues the token and delivers it once.</summary>
public static class FinishEndpoints
{
    public static void MapFinish(this RouteGroupBuilder group)
    {
        group.MapGet("/session/finish", FinishAsync)
            .WithName("AuthIrmaFinish")
            .WithSummary("Checks the IRMA result, delivers a signed and encrypted result once, and sends the resident on.");

        group.MapPost("/session/cancel", CancelAsync)
            .WithName("AuthIrmaCancel")
            .WithSummary("Cancels the IRMA session and delivers a failed result.");
    }

    private static async Task<IResult> FinishAsync(
        HttpContext http, IrmaSessionLinks links, IrmaClient irma, Outcomes outcomes, IOptions<IdContactOptions> options, string? s)
    {
        var english = http.PrefersEnglish();
        PageHeaders.Private(http);
        var state = links.Read(http.TenantTag(), s);
        if (state is null)
        {
            return Messages.InvalidLink(http, english);
        }

        var lang = "&lang=" + LanguageExtensions.LanguageTag(english);
        SessionResult result;
        try
        {
            result = await irma.ResultAsync(state.IrmaToken, http.RequestAborted);
        }
        catch (IrmaServerException e)
        {
            return Messages.IrmaUnavailable(http, english, e.TimedOut, "finish?s=" + s + lang);
        }

        if (!SessionStatus.IsFinished(result.Status))
        {
            // "Verder" pressed before sharing in the app: back to the QR code, with a note.
            return new SeeOther("../session?s=" + s + lang + "&pending=1");
        }

        var (authResult, reason) = ResultCheck.Evaluate(result, state.Attributes, options.Value.AuthIrma().Attributes);
        return await outcomes.DeliverAsync(http, english, state, authResult, reason, "finish?s=" + s + lang);
    }

    private static async Task<IResult> CancelAsync(HttpContext http, IrmaSessionLinks links, IrmaClient irma, Outcomes outcomes)
    {
        var english = http.PrefersEnglish();
        PageHeaders.Private(http);
        if (!http.Request.HasFormContentType)
        {
            return Problems.UnsupportedMediaType("The page posts application/x-www-form-urlencoded.");
        }

        var form = await FormBody.ReadAsync(http.Request, http.RequestAborted);
        var s = form is null ? null : FormBody.First(form["s"]);
        var state = links.Read(http.TenantTag(), s);
        if (state is null)
        {
            return Messages.InvalidLink(http, english);
        }

        // The resident chose to stop: tell the IRMA server, then report a failure whatever it answered.
        await irma.TryCancelAsync(state.IrmaToken, http.RequestAborted);
        var lang = "&lang=" + LanguageExtensions.LanguageTag(english);
        return await outcomes.DeliverAsync(http, english, state, AuthResult.Failure(), FailureReason.Cancelled, "../session?s=" + s + lang);
    }
}
