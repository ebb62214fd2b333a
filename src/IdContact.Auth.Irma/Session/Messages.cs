using IdContact.Auth.Irma.Pages;
using IdContact.Auth.Irma.Assets;
using IdContact.Hosting;
using IdContact.Hosting.AuthPlugins;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IdContact.Auth.Irma.Session;

/// <summary>The honest pages a resident sees when IRMA did not give a usable result, Dutch first.</summary>
internal static class Messages
{
    public static IResult InvalidLink(HttpContext http, bool english) => Page(http, english, StatusCodes.Status400BadRequest,
        LinkTexts.InvalidTitle(english), LinkTexts.InvalidMessage(english), switchable: true);

    /// <summary>
    /// A second visit (Back, a reload, another tab) says what the first one passed on: "the outcome was passed on" alone
    /// leaves a resident who cancelled wondering whether their details went after all.
    /// </summary>
    public static IResult AlreadyFinished(HttpContext http, bool english, string continuation, bool shared)
    {
        var municipality = http.Tenant().DisplayName;
        var message = (shared, english) switch
        {
            (true, true) => $"Your details have already been passed on to {municipality}; they are not sent twice. Continue takes you on to your conversation.",
            (true, false) => $"Uw gegevens zijn al doorgegeven aan {municipality}; ze worden niet nog eens verstuurd. Met Verder gaat u door naar uw gesprek.",
            (false, true) => $"No details were shared in this session and none will be passed on to {municipality}. You can continue without proven details, or start again from the municipality's website.",
            (false, false) => $"In deze sessie zijn geen gegevens gedeeld en er wordt niets doorgegeven aan {municipality}. U kunt verder zonder bewezen gegevens, of opnieuw beginnen via de website van de gemeente.",
        };
        return Page(http, english, StatusCodes.Status409Conflict,
            english ? "This Yivi session is already finished" : "Deze Yivi-sessie is al afgerond", message,
            continuation, english ? "Continue" : "Verder", switchable: true);
    }

    public static IResult IrmaUnavailable(HttpContext http, bool english, bool timedOut, string retryUrl) => Page(http, english,
        timedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway,
        english ? "Yivi cannot be reached right now" : "Yivi is nu niet bereikbaar",
        english
            ? "We could not ask the Yivi service for the outcome. Nothing has been passed on yet. Please try again in a moment."
            : "We konden de Yivi-dienst niet om de uitkomst vragen. Er is nog niets doorgegeven. Probeer het over een ogenblik opnieuw.",
        retryUrl, english ? "Try again" : "Opnieuw proberen");

    public static IResult DeliveryFailed(HttpContext http, bool english, DeliveryFailure failure, string retryUrl) => failure.AlreadyCompleted
        ? Page(http, english, StatusCodes.Status409Conflict, failure.Title(english), failure.Describe(english))
        : Page(http, english, StatusCodes.Status502BadGateway, failure.Title(english),
            failure.Describe(english) + (english ? " You can try again." : " U kunt het opnieuw proberen."),
            retryUrl, english ? "Try again" : "Opnieuw proberen");

    /// <summary>
    /// After a failed outcome the resident is told what happened instead of being sent on silently: the conversation
    /// that follows will not know who they are, and they should know why and that nothing was shared.
    /// </summary>
    /// <param name="s">The page link's session text: the language switch posts it (never in an address) to <c>session/ended</c>.</param>
    public static IResult Failed(HttpContext http, bool english, FailureReason reason, string continuation, string s)
    {
        var municipality = http.Tenant().DisplayName;
        var (title, why) = reason switch
        {
            FailureReason.Cancelled => english
                ? ("You cancelled sharing", "You stopped the Yivi session.")
                : ("U heeft het delen geannuleerd", "U heeft de Yivi-sessie afgebroken."),
            FailureReason.TimedOut => english
                ? ("Time ran out", "The Yivi session expired before your details were shared.")
                : ("De tijd is verstreken", "De Yivi-sessie is verlopen voordat uw gegevens werden gedeeld."),
            FailureReason.Incomplete => english
                ? ("Not all details were shared", "To know who you are, every requested detail is needed.")
                : ("Niet alle gegevens zijn gedeeld", "Om u te herkennen zijn alle gevraagde gegevens nodig."),
            _ => english
                ? ("Your details could not be verified", "The proof from the Yivi app is not valid, for instance because the details in the app have expired.")
                : ("Uw gegevens konden niet worden gecontroleerd", "Het bewijs uit de Yivi-app is niet geldig, bijvoorbeeld omdat de gegevens in de app verlopen zijn."),
        };
        var next = english
            ? $" No details were passed on to {municipality}. You can continue without proven details, or start again from the municipality's website."
            : $" Er zijn geen gegevens doorgegeven aan {municipality}. U kunt verder zonder bewezen gegevens, of opnieuw beginnen via de website van de gemeente.";
        return Page(http, english, StatusCodes.Status200OK, title, why + next, continuation, english ? "Continue" : "Verder",
            repost: new Dictionary<string, string> { ["s"] = s });
    }

    /// <param name="switchable">
    /// The same request shows this page again (a dead link, a session already finished): on a GET it offers the other
    /// language. Asking again after a failure, an outage or a failed delivery would try again instead, so those pages are
    /// shown in the language asked for without a switch.
    /// </param>
    /// <param name="repost">
    /// A failure's page: its switch posts these fields to <c>session/ended</c>, which shows the recorded outcome again
    /// (the same reason) without asking the IRMA server or delivering anything.
    /// </param>
    private static RazorComponentResult<MessagePage> Page(
        HttpContext http, bool english, int status, string title, string message, string? linkUrl = null, string? linkText = null,
        bool switchable = false, IReadOnlyDictionary<string, string>? repost = null) =>
        new(new
        {
            LanguageSwitch = repost is not null || (switchable && HttpMethods.IsGet(http.Request.Method)),
            Repost = repost,
            PagePath = repost is null ? null : EndedPath(http),
            Title = title,
            Message = message,
            Municipality = http.Tenant().DisplayName,
            English = english,
            LinkUrl = linkUrl,
            LinkText = linkText,
            AssetBase = PageAssets.BaseFor(http),
        })
        { StatusCode = status };

    /// <summary>The absolute path of <c>session/ended</c>: failure pages are answered at several depths.</summary>
    private static string EndedPath(HttpContext http) => $"{http.Request.PathBase}/{Uri.EscapeDataString(http.TenantTag())}/auth-irma/session/ended";
}
