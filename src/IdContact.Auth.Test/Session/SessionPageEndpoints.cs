using IdContact.Auth.Test.Pages;
using IdContact.Hosting;
using IdContact.Hosting.AuthPlugins;
using IdContact.Protocol.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace IdContact.Auth.Test.Session;

/// <summary>The tester's page (A3) and its form post, which issues and delivers the result (A1).</summary>
public static class SessionPageEndpoints
{
    public static void MapSessionPage(this RouteGroupBuilder group)
    {
        group.MapGet("/session", Show)
            .WithName("AuthTestPage")
            .WithSummary("The page where the tester types the attribute values, or chooses to fail.");

        group.MapPost("/session", FinishAsync)
            .WithName("AuthTestFinish")
            .WithSummary("Signs and encrypts the typed values (or a failure), delivers them, and redirects to the continuation.");
    }

    private static IResult Show(HttpContext http, SessionLinks links, string? s)
    {
        var english = http.PrefersEnglish();
        PrivatePage(http);
        var request = links.Read(http.TenantTag(), s);
        if (request is null)
        {
            return Messages.InvalidLink(http, english);
        }

        return new RazorComponentResult<AuthTestPage>(new
        {
            Municipality = http.Tenant().DisplayName,
            Fields = AttributeField.For(request.Attributes, english),
            Session = s!,
            // Relative, so the form posts back to this very host; the language choice sticks.
            Action = "session?lang=" + LanguageExtensions.LanguageTag(english),
            English = english,
        });
    }

    private static async Task<IResult> FinishAsync(
        HttpContext http, SessionLinks links, AuthTestKeys keys, ResultDelivery delivery, TimeProvider time)
    {
        var english = http.PrefersEnglish();
        PrivatePage(http);
        if (!http.Request.HasFormContentType)
        {
            return Problems.UnsupportedMediaType("The page posts application/x-www-form-urlencoded.");
        }

        var form = await FormBody.ReadAsync(http.Request, http.RequestAborted);
        if (form is null)
        {
            return Messages.InvalidForm(http, english, "The form is malformed or too large.", "Het formulier is onjuist of te groot.");
        }

        var request = links.Read(http.TenantTag(), FormBody.First(form["s"]));
        if (request is null)
        {
            return Messages.InvalidLink(http, english);
        }

        var result = ResultFrom(request.Attributes, form);
        if (result is null)
        {
            return Messages.InvalidForm(http, english,
                $"Choose Continue or Fail, and keep every value under {AttributeField.MaxValueLength} characters.",
                $"Kies Doorgaan of Mislukken, en houd elke waarde korter dan {AttributeField.MaxValueLength} tekens.");
        }

        var token = AuthResultToken.Issue(result, keys.Signer, keys.Recipient, time.GetUtcNow());
        var (failure, next) = await delivery.DeliverAsync(request.Continuation, request.AttrUrl, token, http.RequestAborted);
        return failure is null ? new SeeOther(next) : Messages.DeliveryFailed(http, english, failure);
    }

    /// <summary>The typed values on "success", a failure on "fail"; null for anything else.</summary>
    private static AuthResult? ResultFrom(IReadOnlyList<string> tags, IFormCollection form)
    {
        switch (FormBody.First(form["action"]))
        {
            case "fail":
                return AuthResult.Failure();
            case "success":
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var tag in tags)
                {
                    var value = FormBody.First(form[AttributeField.FormName(tag)]) ?? "";
                    if (value.Length > AttributeField.MaxValueLength)
                    {
                        return null;
                    }

                    values[tag] = value;
                }

                return AuthResult.Succeeded(values);
            default:
                return null;
        }
    }

    /// <summary>The pages carry a session link and personal data: keep them out of caches and Referer headers.</summary>
    private static void PrivatePage(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
