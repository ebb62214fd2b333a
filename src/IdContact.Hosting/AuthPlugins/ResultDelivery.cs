using System.Net.Http.Headers;
using System.Text;
using IdContact.Protocol.Messages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace IdContact.Hosting.AuthPlugins;

/// <summary>Why a server-side delivery failed: the comm plugin's status, or no answer (unreachable or too slow).</summary>
public sealed record DeliveryFailure(int? Status, bool TimedOut)
{
    /// <summary>
    /// 409: the session already has its one result, typically after Back and the same button again. Trying again cannot
    /// help, so the resident is told it was done, not that something failed.
    /// </summary>
    public bool AlreadyCompleted => Status == 409;

    public string Title(bool english) => AlreadyCompleted
        ? english ? "This sign-in was already completed" : "Deze inlog was al afgerond"
        : english ? "Your details could not be passed on" : "Uw gegevens konden niet worden doorgegeven";

    /// <summary>One sentence for the resident, Dutch unless <paramref name="english"/>.</summary>
    public string Describe(bool english) => this switch
    {
        { AlreadyCompleted: true } => english
            ? "This sign-in was already used once and cannot be used again. Go back to your conversation with the municipality, or start again from the municipality's website."
            : "Deze inlog is al een keer gebruikt en kan niet nog eens. Ga terug naar uw gesprek met de gemeente, of begin opnieuw via de website van de gemeente.",
        { Status: { } status } => english ? $"The receiving service refused the details (status {status})." : $"De ontvangende dienst weigerde de gegevens (status {status}).",
        { TimedOut: true } => english ? "The receiving service did not answer in time." : "De ontvangende dienst antwoordde niet op tijd.",
        _ => english ? "The receiving service could not be reached." : "De ontvangende dienst was niet bereikbaar.",
    };
}

/// <summary>Posts the result token to the comm plugin's attr_url, server-side, with a bounded time.</summary>
public sealed class ResultDelivery(IHttpClientFactory clients, ILogger<ResultDelivery> logger)
{
    public const string HttpClientName = "auth-result-delivery";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Registers the delivery and the allowed targets once, however many auth roles ask for them.</summary>
    public static void Register(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ResultDelivery)))
        {
            return;
        }

        services.TryAddSingleton<AllowedTargets>();
        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.TryAddTransient<ResultDelivery>();
    }

    /// <summary>
    /// Delivers a result as A1 says: server-side to <paramref name="attrUrl"/> when there is one, otherwise on the
    /// continuation as <c>?result=</c>. Answers where the browser goes next, or why the comm plugin did not take it.
    /// </summary>
    public async Task<(DeliveryFailure? Failure, string Next)> DeliverAsync(string continuation, string? attrUrl, string token, CancellationToken ct)
    {
        if (attrUrl is null)
        {
            return (null, ContinuationUrl.With(continuation, token));
        }

        var failure = await PostAsync(attrUrl, token, ct);
        return (failure, ContinuationUrl.With(continuation, null));
    }

    /// <summary>Null when the comm plugin accepted the token (2xx). Never logs the token or attribute values.</summary>
    public async Task<DeliveryFailure?> PostAsync(string attrUrl, string token, CancellationToken ct)
    {
        // attr_url is a capability (it names the session): logs get its origin only.
        var origin = new Uri(attrUrl).GetLeftPart(UriPartial.Authority);
        using var content = new StringContent(token, Encoding.ASCII);
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.Jwt);
        try
        {
            using var response = await clients.CreateClient(HttpClientName).PostAsync(attrUrl, content, ct);
            if (response.IsSuccessStatusCode)
            {
                return null;
            }

            logger.LogWarning("The comm plugin at {Origin} refused the result with status {Status}", origin, (int)response.StatusCode);
            return new DeliveryFailure((int)response.StatusCode, false);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("The comm plugin at {Origin} did not answer within {Timeout}", origin, Timeout);
            return new DeliveryFailure(null, true);
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("The comm plugin at {Origin} could not be reached: {Error}", origin, e.HttpRequestError);
            return new DeliveryFailure(null, false);
        }
    }
}
