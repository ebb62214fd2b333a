using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace IdContact.Roles.Tests;

/// <summary>/metrics: framework and our own counters in Prometheus format, when Metrics:Enabled; counts, never personal data.</summary>
public class MetricsTests
{
    [Fact]
    public async Task The_demo_exports_sessions_identify_outcomes_and_request_durations_without_personal_data()
    {
        await using var server = await RunningServer.StartAsync();
        using var start = new HttpRequestMessage(HttpMethod.Post, "/arnhem/start")
        {
            Content = JsonContent.Create(new { purpose = "report_move", auth_method = "test", comm_method = "phone" }),
        };
        start.Headers.Accept.ParseAdd("application/json");
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(start)).StatusCode);
        var desk = await server.Client.PostAsJsonAsync("/arnhem/phone/start_communication", new { purpose = "report_move" });
        var attrUrl = (await desk.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("attr_url").GetString()!;
        using var identify = new HttpRequestMessage(HttpMethod.Post, "/arnhem/exchange/identify")
        {
            Content = JsonContent.Create(new { code = "000000", call_id = "call-metrics", caller = "+31612345678" }),
        };
        identify.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Hosting.DemoConfiguration.DemoExchangeKey);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(identify)).StatusCode);

        var metrics = await server.Client.GetStringAsync("/metrics");

        Assert.Matches("idcontact_core_sessions_started_total\\{[^}]*auth_method=\"test\"[^}]*comm_method=\"phone\"[^}]*form=\"full\"", metrics);
        Assert.Matches("idcontact_desk_sessions_created_total\\{[^}]*channel=\"phone\"", metrics);
        Assert.Matches("idcontact_desk_identify_total\\{[^}]*outcome=\"wrong_code\"", metrics);
        Assert.Contains("idcontact_desk_wrong_codes_total", metrics, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(attrUrl.Split('/').Last(), metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("+31612345678", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("000000\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_metrics_enabled_there_is_no_metrics_endpoint()
    {
        await using var server = await RunningServer.StartAsync("--Metrics:Enabled", "false");
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/metrics")).StatusCode);
    }
}
