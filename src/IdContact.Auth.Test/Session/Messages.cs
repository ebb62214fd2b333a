using IdContact.Auth.Test.Pages;
using IdContact.Hosting;
using IdContact.Hosting.AuthPlugins;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IdContact.Auth.Test.Session;

/// <summary>The friendly error pages of the tester's page, Dutch first.</summary>
internal static class Messages
{
    public static IResult InvalidLink(HttpContext http, bool english) => Page(http, english, StatusCodes.Status400BadRequest,
        LinkTexts.InvalidTitle(english), LinkTexts.InvalidMessage(english));

    public static IResult InvalidForm(HttpContext http, bool english, string reasonEn, string reasonNl) => Page(http, english, StatusCodes.Status400BadRequest,
        english ? "The form could not be processed" : "Het formulier kon niet worden verwerkt",
        english ? reasonEn : reasonNl);

    public static IResult DeliveryFailed(HttpContext http, bool english, DeliveryFailure failure)
    {
        var why = failure.Describe(english);
        return failure.AlreadyCompleted
            ? Page(http, english, StatusCodes.Status409Conflict, failure.Title(english), why)
            : Page(http, english, StatusCodes.Status502BadGateway, failure.Title(english),
                why + (english ? " Please start again from the municipality's website." : " Begin opnieuw via de website van de gemeente."));
    }

    private static RazorComponentResult<MessagePage> Page(HttpContext http, bool english, int status, string title, string message) =>
        new(new { Title = title, Message = message, Municipality = http.Tenant().DisplayName, English = english }) { StatusCode = status };
}
