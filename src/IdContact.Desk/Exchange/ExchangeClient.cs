using System.Net.Http.Headers;
using System.Net.Http.Json;
using IdContact.Hosting;
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.Exchange;

/// <summary>Asks the municipality's exchange to route a call to an agent's softphone (P7).</summary>
public sealed class ExchangeClient(HttpClient http, PublicUrls urls, ILogger<ExchangeClient> logger)
{
    /// <summary>True when the exchange accepted the routing request.</summary>
    public async Task<bool> RouteAsync(string tenant, TenantDeskOptions desk, string callId, string extension, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(desk.ExchangeRouteUrl))
        {
            logger.LogWarning("No exchange route URL configured; call cannot be routed");
            return false;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, urls.Resolve(desk.ExchangeRouteUrl, tenant))
        {
            Content = JsonContent.Create(new RouteCallRequest(callId, extension)),
        };
        if (!string.IsNullOrEmpty(desk.ExchangeRouteApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", desk.ExchangeRouteApiKey);
        }

        try
        {
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("Exchange refused routing with status {Status}", (int)response.StatusCode);
            }

            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            logger.LogWarning("Exchange unreachable for routing: {Error}", e.Message);
            return false;
        }
    }
}
