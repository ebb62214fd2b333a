using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IdContact.Protocol.Messages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IdContact.Core.Plugins;

/// <summary>Calls auth and comm plugins over HTTP with a bounded time (C7).</summary>
public sealed class PluginClient(HttpClient http, ILogger<PluginClient> logger)
{
    public const string HttpClientName = "plugins";

    public Task<StartCommunicationResponse> StartCommunicationAsync(string baseUrl, StartCommunicationRequest request, CancellationToken ct) =>
        PostJsonAsync<StartCommunicationRequest, StartCommunicationResponse>(baseUrl + "/start_communication", request, r => IsUsableUrl(r.ClientUrl), ct);

    public Task<ClientUrlResponse> StartAuthenticationAsync(string baseUrl, StartAuthenticationRequest request, CancellationToken ct) =>
        PostJsonAsync<StartAuthenticationRequest, ClientUrlResponse>(baseUrl + "/start_authentication", request, r => IsUsableUrl(r.ClientUrl), ct);

    /// <summary>Delivers an auth-result token to a comm plugin's attr_url.</summary>
    public async Task DeliverResultAsync(string attrUrl, string token, CancellationToken ct)
    {
        using var content = new StringContent(token, Encoding.ASCII, MediaTypes.Jwt);
        content.Headers.ContentType!.CharSet = null;
        using var response = await SendAsync(() => http.PostAsync(attrUrl, content, ct), attrUrl);
        EnsureSuccess(response, attrUrl);
    }

    private async Task<TResponse> PostJsonAsync<TRequest, TResponse>(string url, TRequest body, Func<TResponse, bool> isComplete, CancellationToken ct)
        where TResponse : class
    {
        using var response = await SendAsync(() => http.PostAsJsonAsync(url, body, ct), url);
        EnsureSuccess(response, url);
        try
        {
            var result = await response.Content.ReadFromJsonAsync<TResponse>(ct);
            if (result is not null && isComplete(result))
            {
                return result;
            }
        }
        catch (JsonException)
        {
            // Falls through to the same answer as an incomplete body.
        }

        logger.LogWarning("Plugin at {Url} answered with an unusable body", url);
        throw new PluginException(StatusCodes.Status502BadGateway, $"The plugin at {url} gave an answer that is not a valid protocol response.");
    }

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send, string url)
    {
        try
        {
            return await send();
        }
        catch (TaskCanceledException)
        {
            logger.LogWarning("Plugin at {Url} did not answer in time", url);
            throw new PluginException(StatusCodes.Status504GatewayTimeout, $"The plugin at {url} did not answer in time.");
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("Plugin at {Url} is unreachable: {Error}", url, e.Message);
            throw new PluginException(StatusCodes.Status502BadGateway, $"The plugin at {url} could not be reached.");
        }
    }

    private void EnsureSuccess(HttpResponseMessage response, string url)
    {
        if (!response.IsSuccessStatusCode)
        {
            logger.LogWarning("Plugin at {Url} answered {Status}", url, (int)response.StatusCode);
            throw new PluginException(StatusCodes.Status502BadGateway, $"The plugin at {url} answered with status {(int)response.StatusCode}.");
        }
    }

    private static bool IsUsableUrl(string? url) => !string.IsNullOrWhiteSpace(url) && Uri.TryCreate(url, UriKind.Absolute, out _);
}
