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

        group.MapPost("/session/ended", EndedAsync)
            .WithName("AuthIrmaEnded")
            .WithSummary("Shows how a finished IRMA session ended again (a failure page's language switch); changes nothing.");
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
        return await outcomes.DeliverAsync(http, english, state, s!, authResult, reason, "finish?s=" + s + lang);
    }

    private static async Task<IResult> EndedAsync(HttpContext http, IrmaSessionLinks links, Outcomes outcomes)
    {
        var english = http.PrefersEnglish();
        PageHeaders.Private(http);
        var (refused, s, state) = await ReadPostedAsync(http, links, english);
        if (state is null)
        {
            return refused!;
        }

        // Not finished on this instance: the Yivi page itself says where the session stands.
        return outcomes.Again(http, english, state, s)
            ?? new SeeOther("../session?s=" + s + "&lang=" + LanguageExtensions.LanguageTag(english));
    }

    private static async Task<IResult> CancelAsync(HttpContext http, IrmaSessionLinks links, IrmaClient irma, Outcomes outcomes)
    {
        var english = http.PrefersEnglish();
        PageHeaders.Private(http);
        var (refused, s, state) = await ReadPostedAsync(http, links, english);
        if (state is null)
        {
            return refused!;
        }

        // The resident chose to stop: tell the IRMA server, then report a failure whatever it answered.
        await irma.TryCancelAsync(state.IrmaToken, http.RequestAborted);
        var lang = "&lang=" + LanguageExtensions.LanguageTag(english);
        return await outcomes.DeliverAsync(http, english, state, s, AuthResult.Failure(), FailureReason.Cancelled, "../session?s=" + s + lang);
    }

    /// <summary>The session a page's form posted (field <c>s</c>), or the answer when there is none.</summary>
    private static async Task<(IResult? Refused, string S, IrmaSessionState? State)> ReadPostedAsync(HttpContext http, IrmaSessionLinks links, bool english)
    {
        if (!http.Request.HasFormContentType)
        {
            return (Problems.UnsupportedMediaType("The page posts application/x-www-form-urlencoded."), "", null);
        }

        var form = await FormBody.ReadAsync(http.Request, http.RequestAborted);
        var s = form is null ? null : FormBody.First(form["s"]);
        var state = links.Read(http.TenantTag(), s);
        return state is null ? (Messages.InvalidLink(http, english), "", null) : (null, s!, state);
    }
}
