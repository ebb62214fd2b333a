using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IdContact.Desk.Agents;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace IdContact.Desk.Exchange.Simulator;

/// <summary>
/// The demo's exchange (Desk:ExchangeSimulator): it calls our real exchange API over HTTP with the tenant's key,
/// and is the route endpoint agents' "take call" reaches.
/// </summary>
public static class SimulatorEndpoints
{
    public const string HttpClientName = "exchange-simulator";

    /// <summary>The caller number the page starts with: a fictitious mobile number.</summary>
    public const string DemoCaller = "+31612345678";

    public static void MapExchangeSimulator(this IEndpointRouteBuilder app)
    {
        var sim = app.MapTenantGroup("/exchange-simulator").ExcludeFromDescription();
        sim.MapGet("", (HttpContext http, SimulatedExchange exchange) => Page(http, exchange, null, Secrets.NewId(6)));
        sim.MapPost("/identify", async (HttpContext http, IFormCollection form, SimulatedExchange exchange, IHttpClientFactory clients, PublicUrls urls) =>
        {
            var callId = CallId(form);
            var caller = Caller(form);
            var response = await CallApiAsync(http, clients, urls, "identify", new { code = form["code"].ToString(), call_id = callId, caller });
            var english = http.PrefersEnglish();
            var outcome = response.GetProperty("result").GetString() switch
            {
                "matched" => english ? "Code accepted: the call waits in the agents' queue." : "Code geaccepteerd: het gesprek staat in de wachtrij van de medewerkers.",
                "wrong_code" => (english ? "Wrong code; attempts left: " : "Verkeerde code; resterende pogingen: ") + response.GetProperty("attempts_left").GetInt32(),
                "locked" => english ? "Too many wrong codes: this call is locked." : "Te vaak een verkeerde code: dit gesprek is geblokkeerd.",
                "caller_blocked" => english
                    ? "Too many wrong codes from this number this hour: no more codes are asked."
                    : "Te vaak een verkeerde code vanaf dit nummer dit uur: er wordt geen code meer gevraagd.",
                _ => english ? "The exchange API refused the request." : "De exchange-API weigerde het verzoek.",
            };
            exchange.Record(http.TenantTag(), $"{callId}: {outcome}");
            return Page(http, exchange, outcome, callId, caller);
        });
        sim.MapPost("/ended", async (HttpContext http, IFormCollection form, SimulatedExchange exchange, IHttpClientFactory clients, PublicUrls urls) =>
        {
            var callId = CallId(form);
            await CallApiAsync(http, clients, urls, "ended", new { call_id = callId });
            var outcome = http.PrefersEnglish() ? "Call ended; its data is deleted." : "Gesprek beëindigd; de gegevens zijn verwijderd.";
            exchange.Record(http.TenantTag(), $"{callId}: {outcome}");
            return Page(http, exchange, outcome, Secrets.NewId(6), Caller(form));
        });
        sim.MapPost("/route", async (HttpContext http, SimulatedExchange exchange) =>
        {
            var (request, problem) = await DeskRequest.ReadJsonAsync<RouteCallRequest>(http);
            if (problem is not null)
            {
                return problem;
            }

            exchange.Record(http.TenantTag(), $"{request!.CallId}: {(http.PrefersEnglish() ? "routed to extension" : "doorgeschakeld naar toestel")} {request.Extension}");
            return Results.Ok();
        });
    }

    private static string CallId(IFormCollection form)
    {
        var callId = form["call_id"].ToString();
        return callId.Length is > 0 and <= 64 ? callId : Secrets.NewId(6);
    }

    /// <summary>The number the caller calls from as the exchange would send it; blank means withheld.</summary>
    private static string Caller(IFormCollection form)
    {
        var caller = form["caller"].ToString().Trim();
        return caller.Length is > 0 and <= 32 ? caller : "anonymous";
    }

    private static async Task<JsonElement> CallApiAsync(HttpContext http, IHttpClientFactory clients, PublicUrls urls, string action, object body)
    {
        using var client = clients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, urls.Tenant(http.TenantTag(), "/exchange/" + action)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", http.Tenant().Desk().ExchangeApiKey);
        using var response = await client.SendAsync(request, http.RequestAborted);
        var text = await response.Content.ReadAsStringAsync(http.RequestAborted);
        try
        {
            return response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.Clone() : JsonDocument.Parse("{\"result\":\"error\"}").RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonDocument.Parse("{\"result\":\"error\"}").RootElement.Clone();
        }
    }

    private static RazorComponentResult Page(HttpContext http, SimulatedExchange exchange, string? outcome, string callId, string caller = DemoCaller)
    {
        var page = DeskPages.For(http);
        return new RazorComponentResult<SimulatorPage>(new
        {
            page.TenantTag,
            page.Brand,
            CallId = callId,
            Caller = caller,
            Log = exchange.Log(page.TenantTag),
            page.AntiforgeryField,
            page.AntiforgeryToken,
            page.English,
            Outcome = outcome,
        });
    }
}
