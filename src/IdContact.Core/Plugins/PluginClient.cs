using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IdContact.Hosting;
using IdContact.Protocol.Messages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IdContact.Core.Plugins;

/// <summary>A plugin to call: its resolved URL, the key it wants (if any), and how problems name it.</summary>
/// <param name="Label">Shown in problems instead of the URL, which may be internal, e.g. "comm method 'phone'".</param>
public sealed record PluginTarget(string BaseUrl, string? ApiKey, string Label);

/// <summary>Calls auth and comm plugins over HTTP with a bounded time (C7).</summary>
public sealed class PluginClient(HttpClient http, ILogger<PluginClient> logger)
{
    public const string HttpClientName = "plugins";

    private const int MaxReasonLength = 300;

    /// <summary>
    /// The most of a plugin's answer the core reads: protocol answers are a few URLs, so anything near this is not one,
    /// and a plugin (or whoever answers in its name) cannot make the core buffer megabytes per start.
    /// </summary>
    public const int MaxAnswerBytes = 64 * 1024;

    /// <param name="request">When it carries the resident's auth_result, a plugin's 4xx is the resident's bad token (400), not our failure.</param>
    public Task<StartCommunicationResponse> StartCommunicationAsync(PluginTarget plugin, StartCommunicationRequest request, CancellationToken ct) =>
        PostJsonAsync<StartCommunicationRequest, StartCommunicationResponse>(
            plugin, "/start_communication", request, r => IsClientUrl(r.ClientUrl) && (r.AttrUrl is null || IsAttrUrl(r.AttrUrl)),
            resultRefusable: request.AuthResult is not null, ct);

    public Task<ClientUrlResponse> StartAuthenticationAsync(PluginTarget plugin, StartAuthenticationRequest request, CancellationToken ct) =>
        PostJsonAsync<StartAuthenticationRequest, ClientUrlResponse>(
            plugin, "/start_authentication", request, r => IsClientUrl(r.ClientUrl), resultRefusable: false, ct);

    /// <summary>Delivers an auth-result token to a comm plugin's attr_url (a capability URL: logged by origin only).</summary>
    public async Task DeliverResultAsync(string attrUrl, string token, CancellationToken ct)
    {
        var label = "the receiving comm plugin";
        using var content = new StringContent(token, Encoding.ASCII, MediaTypes.Jwt);
        content.Headers.ContentType!.CharSet = null;
        using var response = await SendAsync(() => http.PostAsync(attrUrl, content, ct), label, Origin(attrUrl));
        await EnsureSuccessAsync(response, label, Origin(attrUrl), resultRefusable: true, ct);
    }

    /// <summary>
    /// The state of a comm session for the resident's phone page; null when there is none to follow: the session is gone,
    /// or the plugin is another ID Contact plugin without this extension (404, 405 or 501), whose page must keep its code.
    /// </summary>
    public async Task<string?> PhoneStatusAsync(string attrUrl, string? apiKey, CancellationToken ct)
    {
        var label = "the receiving comm plugin";
        using var response = await SendAsync(() => SendKeyedAsync(HttpMethod.Get, attrUrl + "/status", apiKey, null, ct), label, Origin(attrUrl));
        if (response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.MethodNotAllowed or System.Net.HttpStatusCode.NotImplemented)
        {
            return null;
        }

        await EnsureSuccessAsync(response, label, Origin(attrUrl), resultRefusable: false, ct);
        try
        {
            if (await response.Content.ReadFromJsonAsync<PhoneStatus>(ct) is { State: { } state } && PhoneStatus.States.Contains(state))
            {
                return state;
            }
        }
        catch (Exception e) when (HttpAnswers.IsUnreadable(e))
        {
            // Falls through to the same answer as an unknown state.
        }

        throw new PluginException(StatusCodes.Status502BadGateway, $"The plugin of {label} gave an unknown phone status.");
    }

    private async Task<TResponse> PostJsonAsync<TRequest, TResponse>(
        PluginTarget plugin, string path, TRequest body, Func<TResponse, bool> isComplete, bool resultRefusable, CancellationToken ct)
        where TResponse : class
    {
        var url = plugin.BaseUrl + path;
        using var response = await SendAsync(() => SendKeyedAsync(HttpMethod.Post, url, plugin.ApiKey, JsonContent.Create(body), ct), plugin.Label, url);
        await EnsureSuccessAsync(response, plugin.Label, url, resultRefusable, ct);
        try
        {
            var result = await response.Content.ReadFromJsonAsync<TResponse>(ct);
            if (result is not null && isComplete(result))
            {
                return result;
            }
        }
        catch (Exception e) when (HttpAnswers.IsUnreadable(e))
        {
            // Falls through to the same answer as an incomplete body.
        }

        logger.LogWarning("Plugin at {Url} answered with an unusable body", url);
        throw new PluginException(StatusCodes.Status502BadGateway, $"The plugin of {plugin.Label} gave an answer that is not a valid protocol response.");
    }

    /// <summary>One request to a plugin, with its key as a bearer token when it has one.</summary>
    private async Task<HttpResponseMessage> SendKeyedAsync(HttpMethod method, string url, string? apiKey, HttpContent? content, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(method, url) { Content = content };
        if (!string.IsNullOrEmpty(apiKey))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return await http.SendAsync(message, ct);
    }

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send, string label, string logUrl)
    {
        try
        {
            return await send();
        }
        catch (TaskCanceledException)
        {
            logger.LogWarning("Plugin at {Url} did not answer in time", logUrl);
            throw new PluginException(StatusCodes.Status504GatewayTimeout, $"The plugin of {label} did not answer in time.");
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            logger.LogWarning("Plugin at {Url} answered with more than {Limit} bytes", logUrl, MaxAnswerBytes);
            throw new PluginException(StatusCodes.Status502BadGateway, $"The plugin of {label} gave an answer that is not a valid protocol response.");
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("Plugin at {Url} is unreachable: {Error}", logUrl, e.HttpRequestError);
            throw new PluginException(StatusCodes.Status502BadGateway, $"The plugin of {label} could not be reached.");
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string label, string logUrl, bool resultRefusable, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)response.StatusCode;
        logger.LogWarning("Plugin at {Url} answered {Status}", logUrl, status);
        if (resultRefusable && status is 400 or 409 or 422)
        {
            // The comm plugin judged the resident's own token: their input was bad, and they deserve to know why.
            throw new PluginException(StatusCodes.Status400BadRequest, await ReasonAsync(response, ct), "Auth result refused");
        }

        throw new PluginException(StatusCodes.Status502BadGateway, $"The plugin of {label} answered with status {status}.");
    }

    /// <summary>The plugin's own problem detail, shortened and printable; a fixed sentence when it gave none.</summary>
    private static async Task<string> ReasonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        const string Fallback = "The communication plugin refused the auth result as invalid.";
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            if (problem.RootElement.ValueKind == JsonValueKind.Object
                && problem.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
            {
                var text = new string(detail.GetString()!.Where(c => !char.IsControl(c)).Take(MaxReasonLength).ToArray());
                return text.Length > 0 ? "The communication plugin refused the auth result: " + text : Fallback;
            }
        }
        catch (Exception e) when (HttpAnswers.IsUnreadable(e))
        {
            // Not a problem document: the fixed sentence says enough.
        }

        return Fallback;
    }

    /// <summary>A resident is sent only to web pages or the dialer: never javascript:, data: or the like.</summary>
    private static bool IsClientUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme is "https" or "tel" || (uri.Scheme == "http" && uri.Host.Length > 0));

    /// <summary>
    /// Where the core (and the auth plugin) may post a result or ask the phone status: an absolute http(s) URL with a host.
    /// Anything else (a relative path, file:, tel:) made each later call to it throw, a 500 for the resident.
    /// </summary>
    public static bool IsAttrUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.Host.Length > 0;

    private static string Origin(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : "?";
}
