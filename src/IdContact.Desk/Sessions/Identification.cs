using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using IdContact.Hosting;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Messages;
using IdContact.Protocol.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Sessions;

/// <summary>
/// Identification during a conversation, chat or video call (C4, M5): the desk reads the purpose's sign-in methods from
/// the core's session_options and asks the core for an auth-only start, signed with the desk's starter key. The resident
/// returns to comm_url (the conversation's page, with its capability) and the result arrives at the channel's attr_url.
/// </summary>
public sealed class Identification(HttpClient http, IOptions<IdContactOptions> options, PublicUrls urls, TimeProvider time, ILogger<Identification> logger)
{
    private readonly PrivateKey? _key = options.Value.Desk().StarterKey is { } key ? PrivateKey.Load(key) : null;

    /// <summary>Identification can be asked for only with a starter key.</summary>
    public bool Enabled => _key is not null;

    // Null only: an empty or otherwise unusable CoreUrl never gets here, start-up refuses it (DeskValidator).
    private string Core => (options.Value.Desk().CoreUrl ?? urls.Base).TrimEnd('/');

    /// <summary>The sign-in methods the purpose allows, as the core lists them; empty when the core cannot be asked.</summary>
    public async Task<IReadOnlyList<MethodOption>> MethodsAsync(string tenant, string purpose, bool english, CancellationToken ct)
    {
        try
        {
            var url = $"{Core}/{Uri.EscapeDataString(tenant)}/session_options/{Uri.EscapeDataString(purpose)}" + (english ? "?lang=en" : "");
            var options = await http.GetFromJsonAsync<SessionOptions>(url, ct);
            return options?.AuthMethods ?? [];
        }
        catch (Exception e) when (HttpAnswers.IsFailedCall(e))
        {
            logger.LogWarning("The core's session_options could not be read for tenant {Tenant}: {Error}", tenant, e.GetType().Name);
            return [];
        }
    }

    /// <summary>
    /// Where to send the resident to sign in with <paramref name="authMethod"/>; null when the core refused or failed.
    /// <paramref name="commPath"/> and <paramref name="attrPath"/> are paths under the tenant (the conversation's page, its attr_url).
    /// </summary>
    public async Task<string?> StartAsync(string tenant, string purpose, string commPath, string attrPath, string authMethod, CancellationToken ct)
    {
        if (_key is null)
        {
            return null;
        }

        var request = new AuthOnlyRequest(purpose, authMethod, urls.Tenant(tenant, commPath), urls.Tenant(tenant, attrPath));
        var jws = AuthOnlyStartToken.Create(request, _key, options.Value.Desk().StarterKeyId, time.GetUtcNow());
        using var message = new HttpRequestMessage(HttpMethod.Post, $"{Core}/{Uri.EscapeDataString(tenant)}/start")
        {
            // Exactly application/jwt, as the protocol names it: a core that compares the type whole refuses a charset.
            Content = new StringContent(jws, Encoding.ASCII) { Headers = { ContentType = new MediaTypeHeaderValue(MediaTypes.Jwt) } },
        };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.Json));
        try
        {
            using var response = await http.SendAsync(message, ct);
            if (!response.IsSuccessStatusCode)
            {
                // The status only: the problem may echo the request, which holds the conversation's capability.
                logger.LogWarning("The core refused an auth-only start for tenant {Tenant} with {Status}", tenant, (int)response.StatusCode);
                return null;
            }

            var answer = await response.Content.ReadFromJsonAsync<ClientUrlResponse>(ct);
            return answer?.ClientUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? url : null;
        }
        catch (Exception e) when (HttpAnswers.IsFailedCall(e))
        {
            logger.LogWarning("The core could not be reached for an auth-only start for tenant {Tenant}: {Error}", tenant, e.GetType().Name);
            return null;
        }
    }
}
