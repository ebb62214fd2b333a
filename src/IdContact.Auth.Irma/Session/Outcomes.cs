using IdContact.Hosting;
using IdContact.Hosting.AuthPlugins;
using IdContact.Protocol.Tokens;
using Microsoft.AspNetCore.Http;

namespace IdContact.Auth.Irma.Session;

/// <summary>Issues the result token and delivers it exactly as the test plugin does (A1), at most once per IRMA session.</summary>
public sealed class Outcomes(AuthIrmaKeys keys, ResultDelivery delivery, FinishedSessions finished, TimeProvider time)
{
    /// <param name="s">The page link's session text: a failure page's language switch posts it again.</param>
    /// <param name="retryUrl">Where the resident may try again when the comm plugin did not take the result.</param>
    public async Task<IResult> DeliverAsync(
        HttpContext http, bool english, IrmaSessionState state, string s, AuthResult result, FailureReason? reason, string retryUrl)
    {
        if (!finished.TryClaim(state.Tenant, state.IrmaToken, reason))
        {
            return AlreadyFinished(http, english, state);
        }

        var token = AuthResultToken.Issue(result, keys.Signer, keys.Recipient, time.GetUtcNow());
        var (failure, next) = await delivery.DeliverAsync(state.Continuation, state.AttrUrl, token, http.RequestAborted);
        if (failure is not null)
        {
            finished.Release(state.Tenant, state.IrmaToken);
            return Messages.DeliveryFailed(http, english, failure, retryUrl);
        }

        return reason is null ? new SeeOther(next) : Messages.Failed(http, english, reason.Value, next, s);
    }

    /// <summary>The page for a session whose result was delivered before, or null while it has not been.</summary>
    public IResult? IfFinished(HttpContext http, bool english, IrmaSessionState state) =>
        finished.Ended(state.Tenant, state.IrmaToken) is null ? null : AlreadyFinished(http, english, state);

    /// <summary>
    /// A failure page again (its language switch), with the recorded reason and the way on without any result token;
    /// null while the session has not finished here.
    /// </summary>
    public IResult? Again(HttpContext http, bool english, IrmaSessionState state, string s) =>
        finished.Ended(state.Tenant, state.IrmaToken) switch
        {
            null => null,
            { Reason: { } reason } => Messages.Failed(http, english, reason, Continuation(state), s),
            _ => AlreadyFinished(http, english, state),
        };

    private IResult AlreadyFinished(HttpContext http, bool english, IrmaSessionState state) =>
        Messages.AlreadyFinished(http, english, Continuation(state), finished.Ended(state.Tenant, state.IrmaToken)?.Shared ?? false);

    private static string Continuation(IrmaSessionState state) => ContinuationUrl.With(state.Continuation, null);
}
