using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdContact.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdContact.Auth.Irma.Irma;

/// <summary>
/// Calls the IRMA server's requestor API. Failures become <see cref="IrmaServerException"/> and one log line naming the
/// call and the status; never the requestor token, session request or result, which carry secrets and personal data.
/// </summary>
public sealed class IrmaClient(HttpClient http, IOptions<IdContactOptions> options, ILogger<IrmaClient> logger)
{
    public const string HttpClientName = "auth-irma";

    private string ServerUrl => options.Value.AuthIrma().ServerUrl!.TrimEnd('/');

    public async Task<(SessionPointer Pointer, string Token)> StartAsync(JsonObject disclosure, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ServerUrl + "/session") { Content = JsonContent.Create(disclosure) };
        // The IRMA server takes the requestor token as the whole header value, without a scheme.
        request.Headers.TryAddWithoutValidation("Authorization", options.Value.AuthIrma().RequestorToken);
        var answer = await SendAsync<StartSessionResponse>(request, "start a session", ct);
        if (answer.SessionPtr is not { Url.Length: > 0, Type.Length: > 0 } || string.IsNullOrEmpty(answer.Token))
        {
            throw Unusable("start a session");
        }

        return (answer.SessionPtr, answer.Token);
    }

    public async Task<string> StatusAsync(string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, SessionUrl(token) + "/status");
        return await SendAsync<string>(request, "read a session status", ct);
    }

    public async Task<SessionResult> ResultAsync(string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, SessionUrl(token) + "/result");
        return await SendAsync<SessionResult>(request, "read a session result", ct);
    }

    public async Task CancelAsync(string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, SessionUrl(token));
        using var response = await SendRawAsync(request, "cancel a session", ct);
    }

    /// <summary>Cancels when it can; false when the IRMA server could not be told (already logged).</summary>
    public async Task<bool> TryCancelAsync(string token, CancellationToken ct)
    {
        try
        {
            await CancelAsync(token, ct);
            return true;
        }
        catch (IrmaServerException)
        {
            return false;
        }
    }

    private string SessionUrl(string token) => ServerUrl + "/session/" + Uri.EscapeDataString(token);

    private async Task<T> SendAsync<T>(HttpRequestMessage request, string what, CancellationToken ct)
    {
        using var response = await SendRawAsync(request, what, ct);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(ct) ?? throw Unusable(what);
        }
        catch (Exception e) when (HttpAnswers.IsUnreadable(e))
        {
            throw Unusable(what);
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, string what, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("The IRMA server at {ServerUrl} did not answer in time to {What}", ServerUrl, what);
            throw new IrmaServerException($"The IRMA server did not answer in time to {what}.", timedOut: true);
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("The IRMA server at {ServerUrl} could not be reached to {What}: {Error}", ServerUrl, what, e.Message);
            throw new IrmaServerException($"The IRMA server could not be reached to {what}.");
        }

        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            logger.LogWarning("The IRMA server at {ServerUrl} refused to {What} with status {Status}", ServerUrl, what, status);
            throw new IrmaServerException($"The IRMA server refused to {what} (status {status}).", status: status);
        }

        return response;
    }

    private IrmaServerException Unusable(string what)
    {
        logger.LogWarning("The IRMA server at {ServerUrl} gave an unusable answer when asked to {What}", ServerUrl, what);
        return new IrmaServerException($"The IRMA server gave an unusable answer when asked to {what}.");
    }
}
