using IdContact.Comm.Test.Sessions;
using IdContact.Hosting;
using IdContact.Protocol.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace IdContact.Comm.Test.Pages;

/// <summary><c>GET /{tenant}/comm-test/session/{id}[?result=]</c> (M2): the landing page, which may carry the result.</summary>
public static class SessionPageEndpoint
{
    public static void MapSessionPage(this RouteGroupBuilder group) =>
        group.MapGet("/session/{id}", Show)
            .WithName("CommTestSession")
            .WithSummary("Shows the purpose, the status and the received, verified attributes; accepts ?result=<token>.");

    private static IResult Show(string id, string? result, HttpContext http, CommSessionStore store, ResultReader reader)
    {
        var english = http.PrefersEnglish();
        // The page shows personal data and its URL may hold a token: keep both out of caches and Referer headers.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";

        var session = store.Find(http.TenantTag(), id);
        if (session is null)
        {
            return Message(http, english, StatusCodes.Status404NotFound,
                english ? "Conversation not found" : "Gesprek niet gevonden",
                english ? "This test conversation does not exist or has expired." : "Dit testgesprek bestaat niet of is verlopen.");
        }

        // Relative to this page, so the link works whatever host name the browser used.
        var self = Uri.EscapeDataString(id) + "?lang=" + LanguageExtensions.LanguageTag(english);
        result = result?.Trim();
        if (!string.IsNullOrEmpty(result))
        {
            var refusal = Accept(session, result, reader);
            if (refusal is not null)
            {
                return refusal.Value.Conflict
                    ? Message(http, english, StatusCodes.Status409Conflict,
                        english ? "A result was already received" : "Er is al een resultaat ontvangen",
                        english ? "This conversation takes one result only; the new one was not accepted." : "Dit gesprek neemt maar één resultaat aan; het nieuwe is niet geaccepteerd.",
                        link: self, linkText: english ? "Show the conversation" : "Toon het gesprek")
                    : Message(http, english, StatusCodes.Status400BadRequest,
                        english ? "The result was refused" : "Het resultaat is geweigerd",
                        english ? "The details could not be verified, so they are not shown." : "De gegevens konden niet worden gecontroleerd en worden daarom niet getoond.",
                        detail: refusal.Value.Reason);
            }
        }

        return Render(http, english, session, reader, self);
    }

    /// <summary>Null when the result is now the session's (also when exactly this token was accepted before: a reload).</summary>
    private static (bool Conflict, string? Reason)? Accept(CommSession session, string token, ResultReader reader)
    {
        if (session.Result is { } earlier)
        {
            return earlier.Token == token ? null : (true, null);
        }

        var opened = reader.Open(token);
        if (!opened.IsValid)
        {
            return (false, opened.Refusal);
        }

        return session.TryAttach(token, opened.Result.Status) || session.Result?.Token == token ? null : (true, null);
    }

    private static IResult Render(HttpContext http, bool english, CommSession session, ResultReader reader, string self)
    {
        var purpose = http.Tenant().Purposes.FirstOrDefault(p => p.Tag == session.Purpose);
        var purposeName = purpose is null ? session.Purpose : english ? purpose.NameEn ?? purpose.Name : purpose.Name;
        AuthResult? result = null;
        if (session.Result is { } received)
        {
            var opened = reader.OpenStored(received.Token);
            if (!opened.IsValid)
            {
                // Only if the keys changed since the token was accepted.
                return Message(http, english, StatusCodes.Status500InternalServerError,
                    english ? "The details cannot be read" : "De gegevens kunnen niet worden gelezen",
                    english ? "The stored result can no longer be decrypted or verified." : "Het bewaarde resultaat kan niet meer worden ontsleuteld of gecontroleerd.");
            }

            result = opened.Result;
        }

        return new RazorComponentResult<SessionPage>(new
        {
            Municipality = http.Tenant().DisplayName,
            PurposeName = purposeName,
            PurposeTag = session.Purpose,
            Status = result?.Status,
            Attributes = (IReadOnlyList<KeyValuePair<string, string>>)(result?.Attributes.ToList() ?? []),
            ReloadUrl = self,
            English = english,
        });
    }

    private static RazorComponentResult<MessagePage> Message(
        HttpContext http, bool english, int status, string title, string message, string? detail = null, string? link = null, string? linkText = null) =>
        new(new
        {
            Title = title,
            Message = message,
            Municipality = http.Tenant().DisplayName,
            English = english,
            Detail = detail,
            Link = link,
            LinkText = linkText,
        })
        { StatusCode = status };
}
